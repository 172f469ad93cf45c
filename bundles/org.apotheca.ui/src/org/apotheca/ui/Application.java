package org.apotheca.ui;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;

/**
 * The workbench application {@code org.apotheca.ui.application}: opens the pharmacy node named on the command line
 * in the background (see {@link NodeChoice}), runs the window, and closes the node when the window closes (a local
 * node stops cleanly).
 */
public class Application implements IApplication {

  @Override
  public Object start(IApplicationContext context) {
    String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
    Node.get().open(NodeChoice.from(args, System::getProperty), Activator.context());
    Display display = PlatformUI.createDisplay();
    try {
      int code = PlatformUI.createAndRunWorkbench(display, new ApothecaWorkbenchAdvisor());
      return code == PlatformUI.RETURN_RESTART ? EXIT_RESTART : EXIT_OK;
    } finally {
      display.dispose();
      Node.get().close();
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
