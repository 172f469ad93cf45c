package org.apotheca.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.Refusal;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;

/**
 * Node calls off the UI thread (a call can take as long as a commit through to central), answers back on it. A
 * failure reaches the caller as a {@link NodeException} whose message can be shown as it is: anything else the node
 * throws is logged and replaced by a plain sentence.
 */
public final class Async {

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "apotheca-node-call-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Async() {
  }

  /**
   * Runs {@code work} in the background, then {@code done} or {@code failed} on the UI thread, unless {@code owner}
   * was disposed meanwhile (the answer then has nobody to go to).
   */
  public static <T> void call(Control owner, Callable<T> work, Consumer<T> done, Consumer<NodeException> failed) {
    Display display = owner.getDisplay();
    POOL.execute(() -> {
      T result = null;
      NodeException error = null;
      try {
        result = work.call();
      } catch (Throwable t) {
        error = plain(t);
      }
      T r = result;
      NodeException e = error;
      if (!display.isDisposed()) {
        display.asyncExec(() -> {
          if (owner.isDisposed()) {
            return;
          }
          if (e == null) {
            done.accept(r);
          } else {
            failed.accept(e);
          }
        });
      }
    });
  }

  /** Background work whose answer nobody waits for (logging out). */
  public static void run(Runnable work) {
    POOL.execute(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        Activator.log("Background node call failed", e);
      }
    });
  }

  /** The node's own refusal as it is; anything else as a sentence, with the details in the log. */
  public static NodeException plain(Throwable t) {
    if (t instanceof NodeException n) {
      return n;
    }
    Activator.log("Unexpected answer from the pharmacy node", t);
    return new NodeException(Refusal.NOT_RECORDED,
        "The pharmacy node gave an unexpected answer: nothing was recorded. The details are in the log.", t);
  }
}
