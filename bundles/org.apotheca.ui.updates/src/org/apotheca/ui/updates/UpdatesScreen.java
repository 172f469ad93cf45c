package org.apotheca.ui.updates;

import org.apotheca.ui.till.TillScreen;
import org.eclipse.swt.widgets.Shell;

/** Opened from the till with Ctrl+U, for the admin role only (plugin.xml). */
public final class UpdatesScreen implements TillScreen {

  @Override
  public void open(Shell till) {
    new UpdatesDialog(till).open();
  }
}
