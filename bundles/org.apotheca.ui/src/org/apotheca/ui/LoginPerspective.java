package org.apotheca.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

public class LoginPerspective implements IPerspectiveFactory {

  @Override
  public void createInitialLayout(IPageLayout layout) {
    layout.setEditorAreaVisible(false);
    layout.addStandaloneView(LoginView.ID, false, IPageLayout.LEFT, 1.0f, layout.getEditorArea());
    layout.getViewLayout(LoginView.ID).setCloseable(false);
    layout.getViewLayout(LoginView.ID).setMoveable(false);
  }
}
