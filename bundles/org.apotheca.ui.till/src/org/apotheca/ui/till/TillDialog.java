package org.apotheca.ui.till;

import org.apotheca.gs1.Scan;
import org.apotheca.ui.BarcodeField;
import org.apotheca.ui.Node;

import org.apotheca.ui.Ids;
import org.apotheca.ui.Palette;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.FontDescriptor;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.jface.resource.LocalResourceManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.Text;

/**
 * What the till's dialogs share: fonts a little larger than the desktop's, a message line, ids for tests. Public for
 * the windows other bundles open from the till ({@link TillScreen}).
 */
public abstract class TillDialog extends Dialog {

  /** A table column's width as the window laid it out first (windows that share out their width read it). */
  public static final String COLUMN_WIDTH = "apotheca.width";

  private final String shellTitle;
  protected final String id;
  protected LocalResourceManager resources;
  protected Font big;
  protected Font bold;
  protected Font huge;
  protected Font title;
  protected Label message;

  protected TillDialog(Shell parent, String title, String id) {
    super(parent);
    this.shellTitle = title;
    this.id = id;
    setShellStyle(SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL | SWT.RESIZE);
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
    huge = resources.create(FontDescriptor.createFrom(base).setHeight(h + 14).setStyle(SWT.BOLD));
    title = resources.create(FontDescriptor.createFrom(base).setHeight(h + 7).setStyle(SWT.BOLD));
  }

  @Override
  protected Control createButtonBar(Composite parent) {
    Control bar = super.createButtonBar(parent);
    bar.setFont(big);
    return bar;
  }

  /** The dialog's name in the dialog itself: till PCs often run without window decorations. */
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
    } catch (RuntimeException e) {
      error(e.getMessage());
      return null;
    }
  }

  /** What a scan field held: its text and, for a barcode, its GS1 reading (null when a code was typed). */
  protected record Scanned(String text, Scan scan) {
    /** The product code to look up: the scanned GTIN, or what was typed. */
    public String code() {
      return scan == null ? text : scan.gtin();
    }
  }

  /**
   * Reads a scan field. Null when it is empty, or when the scan cannot be read: then the window has said why and the
   * text is selected, so the next scan replaces it.
   */
  protected Scanned readScan(BarcodeField field) {
    String text = field.value().strip();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return new Scanned(text, Scans.read(text));
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      field.text().selectAll();
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
    message.setData("apotheca.error", error); // the UI tests tell a refusal from an answer by it
    message.setForeground(error ? Palette.get(message.getDisplay()).danger()
        : message.getDisplay().getSystemColor(SWT.COLOR_BLACK));
    fit();
  }

  /** Grows the window when what it says no longer fits (never shrinks it: a window that jumps is hard to read). */
  protected void fit() {
    Shell shell = getShell();
    if (shell == null || shell.isDisposed()) {
      return;
    }
    shell.layout(true, true);
    org.eclipse.swt.graphics.Point now = shell.getSize();
    org.eclipse.swt.graphics.Point wanted = shell.computeSize(now.x, SWT.DEFAULT, true);
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

  protected Table table(Composite parent, String tableId, Object... columns) {
    Table t = Ids.id(new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE), tableId);
    t.setFont(big);
    t.setHeaderVisible(true);
    t.setLinesVisible(true);
    for (int i = 0; i < columns.length; i += 3) {
      TableColumn c = new TableColumn(t, (Integer) columns[i + 2]);
      c.setText((String) columns[i]);
      c.setWidth((Integer) columns[i + 1]);
      c.setData(COLUMN_WIDTH, columns[i + 1]);
    }
    return t;
  }
}
