package org.apotheca.ui;

import org.eclipse.swt.graphics.Point;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

public class ApothecaWorkbenchAdvisor extends WorkbenchAdvisor {

  public static final String WINDOW_TITLE = "Apotheca";

  @Override
  public void initialize(IWorkbenchConfigurer configurer) {
    // A till restarts into the same layout the pharmacist left.
    configurer.setSaveAndRestore(true);
  }

  @Override
  public String getInitialWindowPerspectiveId() {
    return Perspective.ID;
  }

  @Override
  public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
    return new WorkbenchWindowAdvisor(configurer) {
      @Override
      public void preWindowOpen() {
        IWorkbenchWindowConfigurer c = getWindowConfigurer();
        c.setInitialSize(new Point(1100, 700));
        // The catalogue view has its own status line; an empty workbench one would only take space.
        c.setShowStatusLine(false);
        c.setShowCoolBar(false);
        c.setTitle(WINDOW_TITLE);
      }
    };
  }
}
