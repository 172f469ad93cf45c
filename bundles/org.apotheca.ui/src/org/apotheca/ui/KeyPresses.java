package org.apotheca.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;

/**
 * Tells a second report of the same key press from a new press. SWT on GTK reports some presses twice as KeyDown
 * (measured: every posted character reaches a display filter twice), and event time stamps cannot tell them apart
 * (posted events all carry the same time under Xvfb). A new press always comes after a release, so: the same key
 * down again with no KeyUp in between is the same press. Feed it every KeyDown and KeyUp the owner sees.
 */
public final class KeyPresses {

  private int keyCode = -1;
  private char character;
  private int stateMask;

  /** For a KeyDown: true when it repeats the previous KeyDown without a release in between. For a KeyUp: false. */
  public boolean repeated(Event e) {
    if (e.type == SWT.KeyUp) {
      keyCode = -1;
      return false;
    }
    boolean same = e.keyCode == keyCode && e.character == character && e.stateMask == stateMask;
    keyCode = e.keyCode;
    character = e.character;
    stateMask = e.stateMask;
    return same;
  }
}
