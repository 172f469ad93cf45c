package org.apotheca.ui.till;

/**
 * Whether the till in this workbench has a sale in progress (a basket with lines, not yet paid). Windows that must
 * not act in the middle of a sale, such as installing software, ask it; they run on the UI thread as the till does.
 */
public final class OpenSale {

  private static volatile boolean open;

  private OpenSale() {
  }

  public static boolean inProgress() {
    return open;
  }

  static void set(boolean inProgress) {
    open = inProgress;
  }
}
