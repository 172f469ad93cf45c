package org.apotheca.ui;

import org.eclipse.jface.action.IStatusLineManager;
import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

public class ApothecaWorkbenchAdvisor extends WorkbenchAdvisor {

  public static final String WINDOW_TITLE = "Apotheca";

  @Override
  public void initialize(IWorkbenchConfigurer configurer) {
    // A till always starts on the login screen: a restored layout could open the till for nobody.
    configurer.setSaveAndRestore(false);
  }

  @Override
  public String getInitialWindowPerspectiveId() {
    return Perspectives.LOGIN;
  }

  @Override
  public void postStartup() {
    var display = getWorkbenchConfigurer().getWorkbench().getDisplay();
    NodeStatus.get().start(display);
    IdleLock.install(display);
    IdleLock.installLockKey(display);
  }

  @Override
  public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
    return new WorkbenchWindowAdvisor(configurer) {
      @Override
      public void preWindowOpen() {
        IWorkbenchWindowConfigurer c = getWindowConfigurer();
        c.setInitialSize(new Point(1280, 800));
        c.setShowStatusLine(true);
        c.setShowCoolBar(false);
        c.setShowMenuBar(false);
        c.setShowPerspectiveBar(false);
        c.setShowProgressIndicator(false);
        c.setTitle(WINDOW_TITLE);
      }

      @Override
      public ActionBarAdvisor createActionBarAdvisor(IActionBarConfigurer abc) {
        return new ActionBarAdvisor(abc) {
          @Override
          protected void fillStatusLine(IStatusLineManager statusLine) {
            statusLine.add(new NodeStatusItem());
          }
        };
      }
    };
  }
}
