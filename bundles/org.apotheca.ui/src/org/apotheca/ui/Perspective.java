package org.apotheca.ui;

import org.apotheca.ui.views.CatalogueView;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

public class Perspective implements IPerspectiveFactory {

  public static final String ID = "org.apotheca.ui.perspective";

  @Override
  public void createInitialLayout(IPageLayout layout) {
    layout.setEditorAreaVisible(false);
    layout.addStandaloneView(CatalogueView.ID, true, IPageLayout.LEFT, 1.0f, layout.getEditorArea());
    layout.getViewLayout(CatalogueView.ID).setCloseable(false);
  }
}
