package org.apotheca.ui;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;

/** The workbench application {@code org.apotheca.ui.application}. */
public class Application implements IApplication {

  @Override
  public Object start(IApplicationContext context) {
    Display display = PlatformUI.createDisplay();
    try {
      int code = PlatformUI.createAndRunWorkbench(display, new ApothecaWorkbenchAdvisor());
      return code == PlatformUI.RETURN_RESTART ? EXIT_RESTART : EXIT_OK;
    } finally {
      display.dispose();
    }
  }

  @Override
  public void stop() {
    if (!PlatformUI.isWorkbenchRunning()) {
      return;
    }
    IWorkbench workbench = PlatformUI.getWorkbench();
    Display display = workbench.getDisplay();
    display.syncExec(() -> {
      if (!display.isDisposed()) {
        workbench.close();
      }
    });
  }
}
