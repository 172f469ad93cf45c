package org.apotheca.ui;

import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

public class TillPerspective implements IPerspectiveFactory {

  @Override
  public void createInitialLayout(IPageLayout layout) {
    layout.setEditorAreaVisible(false);
    layout.addStandaloneView(Perspectives.TILL_VIEW, false, IPageLayout.LEFT, 1.0f, layout.getEditorArea());
    layout.getViewLayout(Perspectives.TILL_VIEW).setCloseable(false);
    layout.getViewLayout(Perspectives.TILL_VIEW).setMoveable(false);
  }
}
