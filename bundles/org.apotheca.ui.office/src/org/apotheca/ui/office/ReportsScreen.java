package org.apotheca.ui.office;

import org.apotheca.ui.till.TillScreen;
import org.eclipse.swt.widgets.Shell;

/** Opened from the till (plugin.xml). */
public final class ReportsScreen implements TillScreen {

  @Override
  public void open(Shell till) {
    new ReportsDialog(till).open();
  }
}
