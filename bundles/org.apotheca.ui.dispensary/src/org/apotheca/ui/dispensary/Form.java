package org.apotheca.ui.dispensary;

import java.util.function.Consumer;

import org.apotheca.ui.Async;
import org.apotheca.ui.Ids;
import org.apotheca.ui.Palette;
import org.apotheca.ui.till.TillDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
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
import org.eclipse.swt.widgets.Text;

/**
 * The dispensary's windows: a screen (the dispensary, the register) covers the till's window and can be resized; a
 * form (a new patient, an override) is as big as it needs to be. Fonts a size up from the desktop's, a message line
 * that says the node's sentence as it is, ids for tests. Esc closes; each field's Enter moves on.
 */
abstract class Form extends TillDialog {

  static final String WIDTH = TillDialog.COLUMN_WIDTH;

  private final boolean screen;
  protected Font small;

  Form(Shell parent, String title, String id, boolean screen) {
    super(parent, title, id);
    this.screen = screen;
    if (screen) {
      setShellStyle(getShellStyle() | SWT.MAX);
    }
  }

  @Override
  protected void configureShell(Shell shell) {
    super.configureShell(shell);
    Font base = JFaceResources.getDialogFont();
    int h = base.getFontData()[0].getHeight();
    huge = resources.create(FontDescriptor.createFrom(base).setHeight(h + 10).setStyle(SWT.BOLD));
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

  /** A screen keeps the till's size; a form grows when what it says no longer fits. */
  @Override
  protected void fit() {
    if (!screen) {
      super.fit();
    } else if (getShell() != null && !getShell().isDisposed()) {
      getShell().layout(true, true);
    }
  }

  // the dispensary's pickers build their fields and lists through the window they sit in
  @Override
  protected Text field(Composite parent, String fieldId, int width) {
    return super.field(parent, fieldId, width);
  }

  @Override
  protected Table table(Composite parent, String tableId, Object... columns) {
    return super.table(parent, tableId, columns);
  }

  /** A node call made with the signed-in user's token. */
  @FunctionalInterface
  protected interface TokenCall<T> {
    T call(String token) throws Exception;
  }

  private boolean saving;

  /**
   * Saves through the node, one press at a time: says "Saving...", then hands the node's answer to {@code saved} and
   * closes, or says the node's refusal and stays open with what was typed.
   */
  protected <T> void saveAndClose(TokenCall<T> call, Consumer<T> saved) {
    if (saving) {
      return;
    }
    String token = tokenOrSay();
    if (token == null) {
      return;
    }
    saving = true;
    info("Saving...");
    Async.call(getShell(), () -> call.call(token), answer -> {
      saving = false;
      saved.accept(answer);
      super.okPressed();
    }, e -> {
      saving = false;
      error(e.getMessage());
    });
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

  protected Label keys(Composite parent, int span, String text) {
    Label keys = Ids.id(new Label(parent, SWT.WRAP), id + ".keys");
    keys.setText(text);
    keys.setFont(small);
    keys.setForeground(Palette.get(parent.getDisplay()).muted());
    GridDataFactory.fillDefaults().span(span, 1).grab(true, false).hint(400, SWT.DEFAULT).applyTo(keys);
    return keys;
  }
}
