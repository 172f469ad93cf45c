package org.apotheca.ui.labels;

import org.apotheca.ui.till.TillScreen;
import org.eclipse.swt.widgets.Shell;

/** Shift+F5 at the till (plugin.xml). */
public final class ShelfLabelsScreen implements TillScreen {

  @Override
  public void open(Shell till) {
    new ShelfLabelsDialog(till).open();
  }
}
