package org.apotheca.ui;

import org.apotheca.gs1.Gs1;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;

/**
 * A text field that keeps what a keyboard-wedge scanner sends. GS1 DataMatrix codes separate variable-length
 * elements with the group separator (ASCII 29); the scanner "types" it as Ctrl+], which GTK never inserts into a
 * text field, so without this the lot and the serial run together. The field inserts the separator itself.
 */
public final class BarcodeField {

  public static final char GS = Gs1.GS;

  private final Text text;
  private final KeyPresses presses = new KeyPresses();

  public BarcodeField(Composite parent, int style) {
    text = new Text(parent, SWT.SINGLE | style);
    text.addListener(SWT.KeyDown, this::keyDown);
    text.addListener(SWT.KeyUp, presses::repeated);
  }

  private void keyDown(Event e) {
    boolean gs = e.character == GS || (e.stateMask & SWT.MODIFIER_MASK) == SWT.CTRL && e.keyCode == ']';
    if (!gs) {
      return;
    }
    e.doit = false;
    if (presses.repeated(e)) {
      return;
    }
    text.insert(String.valueOf(GS));
  }

  public Text text() {
    return text;
  }

  /** The field's content with group separators as they were scanned. */
  public String value() {
    return text.getText();
  }

  /** For showing a scan to people: the invisible separator as "<GS>". */
  public static String visible(String scan) {
    return scan.replace(String.valueOf(GS), "<GS>");
  }
}
