package org.apotheca.ui;

import org.eclipse.swt.widgets.Widget;

/** Stable names for the widgets people use, so tests (and support) find them without relying on layout. */
public final class Ids {

  public static final String KEY = "apotheca.id";

  private Ids() {
  }

  public static <W extends Widget> W id(W widget, String id) {
    widget.setData(KEY, id);
    return widget;
  }

  public static String of(Widget widget) {
    return widget.isDisposed() ? null : (String) widget.getData(KEY);
  }
}
