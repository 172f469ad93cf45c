package org.apotheca.ui.till;

import org.eclipse.swt.widgets.Shell;

/**
 * A window another bundle opens from the till with a free key (F1-F12, Shift+F1-F12, Ctrl+ a letter): declared in that bundle's plugin.xml at the
 * extension point {@code org.apotheca.ui.till.screens} as {@code <screen key="F5" legend="stocktake" class="..."/>}.
 * The till lists it in its key legend and opens it only while someone is logged in and no other window is open.
 */
public interface TillScreen {

  /** Opens the window over the till and returns once it is closed. Called on the UI thread. */
  void open(Shell till);
}
