package org.apotheca.ui;

import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;

/**
 * Locks the till after a while without keyboard or mouse input, so a till left open does not sell in someone
 * else's name. The time comes from the system property {@value #PROPERTY}, else the preference
 * {@code org.apotheca.ui/idle.lock.seconds}, default {@value #DEFAULT_SECONDS}.
 */
public final class IdleLock {

  public static final String PROPERTY = "apotheca.idle.lock.seconds";
  public static final int DEFAULT_SECONDS = 300;

  private static volatile int seconds = -1;
  private static volatile long lastInput = System.currentTimeMillis();

  private IdleLock() {
  }

  public static int seconds() {
    if (seconds < 0) {
      String p = System.getProperty(PROPERTY);
      int s;
      try {
        s = p != null ? Integer.parseInt(p.trim())
            : Platform.getPreferencesService().getInt(Activator.PLUGIN_ID, "idle.lock.seconds", DEFAULT_SECONDS, null);
      } catch (NumberFormatException e) {
        s = DEFAULT_SECONDS;
      }
      seconds = Math.max(5, s);
    }
    return seconds;
  }

  /** Changes the idle time while running (tests use a short one). */
  public static void setSeconds(int s) {
    seconds = s;
    lastInput = System.currentTimeMillis();
  }

  /** "5 minutes", "1 minute", "90 seconds". */
  public static String describe(int s) {
    if (s % 60 == 0) {
      return s == 60 ? "1 minute" : s / 60 + " minutes";
    }
    return s + " seconds";
  }

  public static void install(Display display) {
    Listener input = e -> lastInput = System.currentTimeMillis();
    for (int type : new int[] { SWT.KeyDown, SWT.MouseDown, SWT.MouseMove, SWT.MouseWheel }) {
      display.addFilter(type, input);
    }
    Runnable check = new Runnable() {
      @Override
      public void run() {
        if (display.isDisposed()) {
          return;
        }
        int s = seconds();
        if (Node.get().session() != null && System.currentTimeMillis() - lastInput >= s * 1000L) {
          Screens.lock("Locked after " + describe(s) + " idle. Log in to go on.");
        }
        display.timerExec(1_000, this);
      }
    };
    display.timerExec(1_000, check);
  }

  /** Ctrl+L anywhere in the window locks at once. */
  public static void installLockKey(Display display) {
    display.addFilter(SWT.KeyDown, e -> {
      if ((e.stateMask & SWT.MODIFIER_MASK) == SWT.CTRL && (e.keyCode == 'l' || e.keyCode == 'L')
          && Node.get().session() != null && e.display.getActiveShell() == Screens.window().getShell()) {
        e.doit = false;
        e.type = SWT.None;
        Screens.lock("Logged out. Log in to go on.");
      }
    });
  }

}
