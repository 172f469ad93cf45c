package org.apotheca.ui;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;

/**
 * The few colours the till uses, the same everywhere: red means "stop", orange and yellow "look", green "fine".
 * Colours without an OS handle (SWT 3.120+): nothing to dispose.
 */
public record Palette(Color danger, Color dangerBackground, Color warn, Color caution, Color ok, Color okBackground,
    Color expired, Color days30, Color days60, Color days90, Color muted) {

  private static Palette instance;

  public static synchronized Palette get(Display display) {
    if (instance == null) {
      instance = new Palette(c(176, 0, 32), c(253, 228, 228), c(236, 132, 0), c(250, 204, 21), c(46, 160, 67),
          c(224, 244, 228), c(240, 160, 160), c(255, 200, 130), c(255, 240, 150), c(255, 250, 215), c(100, 100, 100));
    }
    return instance;
  }

  private static Color c(int r, int g, int b) {
    return new Color(new RGB(r, g, b));
  }
}
