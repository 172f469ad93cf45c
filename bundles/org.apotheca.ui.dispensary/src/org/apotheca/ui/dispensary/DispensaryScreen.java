package org.apotheca.ui.dispensary;

import org.apotheca.ui.till.TillScreen;
import org.eclipse.swt.widgets.Shell;

/** F2 at the till (plugin.xml): patient, prescriber, prescription, warnings, dispensing, label, history. */
public final class DispensaryScreen implements TillScreen {

  @Override
  public void open(Shell till) {
    new DispensaryWindow(till).open();
  }
}
