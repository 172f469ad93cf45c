package org.apotheca.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeState;
import org.eclipse.swt.widgets.Display;

/**
 * Polls {@link org.apotheca.node.api.NodeService#state()} every second on a thread of its own and hands each answer
 * to the UI thread: the status line, the recall banner and the till's "may I take payment" check all read it.
 */
public final class NodeStatus {

  public static final long PERIOD_MS = 1_000;

  private static final NodeStatus INSTANCE = new NodeStatus();

  private final List<Consumer<NodeSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile NodeSnapshot current = new NodeSnapshot(null, "Starting...", true, System.currentTimeMillis());
  private Thread poller;

  private NodeStatus() {
  }

  public static NodeStatus get() {
    return INSTANCE;
  }

  public synchronized void start(Display display) {
    if (poller != null) {
      return;
    }
    poller = new Thread(() -> {
      while (!display.isDisposed()) {
        NodeSnapshot s = take();
        current = s;
        try {
          display.asyncExec(() -> listeners.forEach(l -> l.accept(s)));
        } catch (org.eclipse.swt.SWTException disposed) {
          return;
        }
        try {
          Thread.sleep(PERIOD_MS); // a poll period, not synchronisation
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "apotheca-node-status");
    poller.setDaemon(true);
    poller.start();
  }

  private static NodeSnapshot take() {
    Node node = Node.get();
    boolean local = node.choice().local();
    long now = System.currentTimeMillis();
    if (!node.isOpen()) {
      return new NodeSnapshot(null, node.problem(), local, now);
    }
    try {
      NodeState state = node.service().state();
      return new NodeSnapshot(state, null, local, now);
    } catch (NodeException e) {
      return new NodeSnapshot(null, e.getMessage(), local, now);
    } catch (RuntimeException e) {
      Activator.log("Reading the node's state failed", e);
      return new NodeSnapshot(null, "The pharmacy node does not answer: the details are in the log.", local, now);
    }
  }

  /** The last answer (any thread). */
  public NodeSnapshot current() {
    return current;
  }

  /** Called on the UI thread after every poll. */
  public void addListener(Consumer<NodeSnapshot> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<NodeSnapshot> l) {
    listeners.remove(l);
  }
}
