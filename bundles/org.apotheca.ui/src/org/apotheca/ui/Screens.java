package org.apotheca.ui;

import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.Session;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.WorkbenchException;

/** Switches the window between the login screen and the till; locking logs the person out first. */
public final class Screens {

  private Screens() {
  }

  /** Logs the current person out (at the node too) and shows the login screen with {@code message}. UI thread. */
  public static void lock(String message) {
    closeDialogs();
    Node node = Node.get();
    Session s = node.session();
    if (s != null) {
      node.setSession(null);
      if (node.isOpen()) {
        NodeService service = node.service();
        Async.run(() -> service.logout(s.token()));
      }
    }
    showLogin(message);
  }

  /**
   * A payment, refund or stock window left open must not stay over the login screen. A sale whose answer was still
   * on its way is safe: the basket and its sale id stay, and paying again returns the recorded sale.
   */
  private static void closeDialogs() {
    org.eclipse.swt.widgets.Shell main = window().getShell();
    for (org.eclipse.swt.widgets.Shell s : main.getDisplay().getShells()) {
      if (s != main && !s.isDisposed() && s.getData() instanceof org.eclipse.jface.window.Window w) {
        w.close();
      }
    }
  }

  public static void showLogin(String message) {
    LoginView.note(message);
    show(Perspectives.LOGIN);
  }

  public static void showTill() {
    show(Perspectives.TILL);
  }

  private static void show(String perspective) {
    IWorkbenchWindow w = window();
    try {
      PlatformUI.getWorkbench().showPerspective(perspective, w);
    } catch (WorkbenchException e) {
      Activator.log("Cannot show " + perspective, e);
    }
  }

  static IWorkbenchWindow window() {
    IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
    return w != null ? w : PlatformUI.getWorkbench().getWorkbenchWindows()[0];
  }
}
