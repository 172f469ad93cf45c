package org.apotheca.ui.office;

import java.util.Arrays;
import java.util.Set;

import org.apotheca.node.api.Role;
import org.apotheca.node.api.Session;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.apotheca.ui.till.TillDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

/**
 * A back-office window: large (most of the till's window) and resizable, with a line of keys at the bottom and the
 * rule that what the person's roles do not allow is shown disabled with a sentence saying who may do it.
 */
abstract class OfficeDialog extends TillDialog {

  private boolean placed;

  protected OfficeDialog(Shell parent, String title, String id) {
    super(parent, title, id);
  }

  /**
   * Most of the workbench window, whatever the content would ask for (charts and wrapped sentences ask for
   * anything); a window opened from another office window is measured against the workbench window too.
   */
  @Override
  protected Point getInitialSize() {
    Rectangle over = workbenchShell().getBounds();
    return new Point(over.width * 9 / 10, over.height * 9 / 10);
  }

  @Override
  protected Point getInitialLocation(Point size) {
    Rectangle over = workbenchShell().getBounds();
    return new Point(over.x + Math.max(0, (over.width - size.x) / 2), over.y + Math.max(0, (over.height - size.y) / 2));
  }

  /**
   * JFace skips the initial size once the shell was resized while its contents were made: a sentence said while
   * loading ("Loading...") must not grow the window before it has its size.
   */
  @Override
  protected void initializeBounds() {
    super.initializeBounds();
    placed = true;
  }

  @Override
  protected void fit() {
    if (placed) {
      super.fit();
    }
  }

  private Shell workbenchShell() {
    Shell s = getParentShell();
    while (s.getParent() instanceof Shell p) {
      s = p;
    }
    return s;
  }

  /** True when the person logged in has one of these roles. */
  protected static boolean may(Role... roles) {
    Session s = Node.get().session();
    return s != null && Arrays.stream(roles).anyMatch(s::has);
  }

  /** "Only a pharmacist or manager may finish a stocktake." */
  protected static String onlyWho(String what, Role... roles) {
    String[] words = Arrays.stream(roles).map(Role::word).toArray(String[]::new);
    String who = words.length == 1 ? words[0]
        : String.join(", ", Arrays.copyOf(words, words.length - 1)) + " or " + words[words.length - 1];
    return "Only a " + who + " may " + what + ".";
  }

  /** The person's roles, for windows that say what they can do. */
  protected static Set<Role> roles() {
    Session s = Node.get().session();
    return s == null ? Set.of() : s.roles();
  }

  /** A key (no modifier) that does something anywhere in this window while it is the active one. */
  protected void onKey(int keyCode, Runnable action) {
    Shell shell = getShell();
    org.eclipse.swt.widgets.Display display = shell.getDisplay();
    org.eclipse.swt.widgets.Listener filter = e -> {
      if (e.keyCode == keyCode && (e.stateMask & SWT.MODIFIER_MASK) == 0 && display.getActiveShell() == shell
          && !shell.isDisposed()) {
        e.doit = false;
        action.run();
      }
    };
    display.addFilter(SWT.KeyDown, filter);
    shell.addListener(SWT.Dispose, e -> display.removeFilter(SWT.KeyDown, filter));
  }

  /** The product name gets whatever width the other columns leave, so long names are not cut. */
  protected static void stretchFirstColumn(org.eclipse.swt.widgets.Table table) {
    int[] others = new int[1];
    for (int i = 1; i < table.getColumnCount(); i++) {
      others[0] += table.getColumn(i).getWidth();
    }
    table.addListener(SWT.Resize, e -> table.getColumn(0).setWidth(Math.max(200, table.getClientArea().width - others[0])));
  }

  /** The muted line of keys at the bottom of the window. */
  protected Label keys(Composite parent, int span, String text) {
    Label keys = Ids.id(new Label(parent, SWT.WRAP), Ids.of(getShell()) + ".keys");
    keys.setText(text);
    keys.setForeground(Palette.get(parent.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(span, 1).grab(true, false).applyTo(keys);
    return keys;
  }
}
