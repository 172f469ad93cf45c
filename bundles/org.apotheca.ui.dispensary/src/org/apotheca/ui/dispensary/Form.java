package org.apotheca.ui.dispensary;

import org.apotheca.node.api.NodeException;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Node;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.Text;

/**
 * The dispensary's windows: a screen (the dispensary, the register) covers the till's window and can be resized; a
 * form (a new patient, an override) is as big as it needs to be. Fonts a size up from the desktop's, a message line
 * that says the node's sentence as it is, ids for tests. Esc closes; each field's Enter moves on.
 */
abstract class Form extends Dialog {

  static final String WIDTH = "apotheca.width";

  private final String shellTitle;
  protected final String id;
  private final boolean screen;
  protected LocalResourceManager resources;
  protected Font big;
  protected Font bold;
  protected Font huge;
  protected Font title;
  protected Font small;
  protected Label message;

  Form(Shell parent, String title, String id, boolean screen) {
    super(parent);
    this.shellTitle = title;
    this.id = id;
    this.screen = screen;
    setShellStyle(SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL | SWT.RESIZE | (screen ? SWT.MAX : 0));
  }

  @Override
  protected void configureShell(Shell shell) {
    super.configureShell(shell);
    shell.setText(shellTitle);
    Ids.id(shell, id);
    resources = new LocalResourceManager(JFaceResources.getResources(), shell);
    Font base = JFaceResources.getDialogFont();
    int h = base.getFontData()[0].getHeight();
    big = resources.create(FontDescriptor.createFrom(base).setHeight(h + 2));
    bold = resources.create(FontDescriptor.createFrom(base).setHeight(h + 2).setStyle(SWT.BOLD));
    huge = resources.create(FontDescriptor.createFrom(base).setHeight(h + 10).setStyle(SWT.BOLD));
    title = resources.create(FontDescriptor.createFrom(base).setHeight(h + 7).setStyle(SWT.BOLD));
    small = resources.create(FontDescriptor.createFrom(base).setHeight(Math.max(8, h - 1)));
  }

  /** A screen takes the whole of the till's window: it is read across the counter. */
  @Override
  protected Point getInitialSize() {
    if (!screen) {
      return super.getInitialSize();
    }
    return area().width > 0 ? new Point(area().width, area().height) : new Point(1200, 760);
  }

  @Override
  protected Point getInitialLocation(Point size) {
    if (!screen || area().width == 0) {
      return super.getInitialLocation(size);
    }
    return new Point(area().x, area().y);
  }

  private Rectangle area() {
    Shell parent = getParentShell();
    if (parent == null || parent.isDisposed()) {
      return new Rectangle(0, 0, 0, 0);
    }
    return parent.getDisplay().map(parent, null, parent.getClientArea());
  }

  @Override
  protected Control createButtonBar(Composite parent) {
    Control bar = super.createButtonBar(parent);
    bar.setFont(big);
    return bar;
  }

  protected Label heading(Composite parent, int span, String text) {
    Label l = Ids.id(new Label(parent, SWT.NONE), id + ".heading");
    l.setText(text);
    l.setFont(title);
    GridDataFactory.fillDefaults().span(span, 1).applyTo(l);
    return l;
  }

  protected Label message(Composite parent, int span) {
    message = Ids.id(new Label(parent, SWT.WRAP), id + ".message");
    message.setFont(bold);
    GridDataFactory.fillDefaults().span(span, 1).grab(true, false).hint(520, SWT.DEFAULT).applyTo(message);
    return message;
  }

  /** The logged-in user's session token, or null after saying in this window why there is none. */
  protected String tokenOrSay() {
    try {
      return Node.get().token();
    } catch (NodeException e) {
      error(e.getMessage());
      return null;
    }
  }

  protected void error(String text) {
    say(text, true);
  }

  protected void info(String text) {
    say(text, false);
  }

  private void say(String text, boolean error) {
    if (message == null || message.isDisposed()) {
      return;
    }
    message.setText(text);
    message.setData("apotheca.error", error);
    message.setForeground(error ? Palette.get(message.getDisplay()).danger()
        : message.getDisplay().getSystemColor(SWT.COLOR_BLACK));
    fit();
  }

  /** Grows a form when what it says no longer fits (never shrinks it: a window that jumps is hard to read). */
  protected void fit() {
    Shell shell = getShell();
    if (shell == null || shell.isDisposed()) {
      return;
    }
    shell.layout(true, true);
    if (screen) {
      return;
    }
    Point now = shell.getSize();
    Point wanted = shell.computeSize(now.x, SWT.DEFAULT, true);
    if (wanted.y > now.y) {
      shell.setSize(now.x, wanted.y);
    }
  }

  protected Label label(Composite parent, String text) {
    Label l = new Label(parent, SWT.NONE);
    l.setText(text);
    l.setFont(big);
    return l;
  }

  protected Text field(Composite parent, String fieldId, int width) {
    Text t = Ids.id(new Text(parent, SWT.BORDER | SWT.SINGLE), fieldId);
    t.setFont(big);
    GridDataFactory.fillDefaults().hint(width, SWT.DEFAULT).applyTo(t);
    return t;
  }

  /** Enter in {@code from} runs {@code then} instead of pressing the window's default button. */
  protected static void onEnter(Control from, Runnable then) {
    from.addListener(SWT.Traverse, e -> {
      if (e.detail == SWT.TRAVERSE_RETURN) {
        e.doit = false;
        then.run();
      }
    });
  }

  protected Button check(Composite parent, String checkId, String text) {
    Button b = Ids.id(new Button(parent, SWT.CHECK), checkId);
    b.setText(text);
    b.setFont(big);
    return b;
  }

  /** A table of {title, width, alignment} triples; read-only rows, a whole row selected at a time. */
  protected Table table(Composite parent, String tableId, Object... columns) {
    Table t = Ids.id(new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE), tableId);
    t.setFont(big);
    t.setHeaderVisible(true);
    t.setLinesVisible(true);
    for (int i = 0; i < columns.length; i += 3) {
      TableColumn c = new TableColumn(t, (Integer) columns[i + 2]);
      c.setText((String) columns[i]);
      c.setWidth((Integer) columns[i + 1]);
      c.setData(WIDTH, columns[i + 1]);
    }
    return t;
  }

  protected Label keys(Composite parent, int span, String text) {
    Label keys = Ids.id(new Label(parent, SWT.WRAP), id + ".keys");
    keys.setText(text);
    keys.setFont(small);
    keys.setForeground(Palette.get(parent.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(span, 1).grab(true, false).hint(400, SWT.DEFAULT).applyTo(keys);
    return keys;
  }
}
