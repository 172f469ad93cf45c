package org.apotheca.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeServiceFactory;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.Session;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * This workbench's pharmacy node and the person logged in at it. The node is opened on a thread of its own (a local
 * node takes seconds to start, a remote one may be down), so the window opens at once and says what is going on.
 */
public final class Node {

  /** Declarative Services registers the factories shortly after the framework starts: wait that long, no longer. */
  static final long FACTORY_WAIT_MS = 15_000;

  private static final Node INSTANCE = new Node();

  private volatile NodeChoice choice = NodeChoice.from(new String[0], k -> null);
  private volatile NodeService service;
  private volatile String problem = "Starting: looking for the pharmacy node...";
  private volatile boolean closed;
  private volatile Session session;
  private Thread opener;
  private final List<Consumer<Session>> sessionListeners = new CopyOnWriteArrayList<>();

  private Node() {
  }

  public static Node get() {
    return INSTANCE;
  }

  /** Opens the node in the background; {@link #service()} answers once it is open. */
  public synchronized void open(NodeChoice c, BundleContext context) {
    choice = c;
    if (c.problem() != null) {
      problem = c.problem();
      return;
    }
    problem = c.local() ? "Starting the pharmacy node on this computer..." : "Connecting to " + c.where() + "...";
    opener = new Thread(() -> openNow(c, context), "apotheca-node-open");
    opener.setDaemon(true);
    opener.start();
  }

  private void openNow(NodeChoice c, BundleContext context) {
    ServiceTracker<NodeServiceFactory, NodeServiceFactory> tracker = null;
    try {
      Filter filter = context.createFilter("(&(objectClass=" + NodeServiceFactory.class.getName() + ")("
          + NodeServiceFactory.KIND + "=" + c.kind() + "))");
      tracker = new ServiceTracker<>(context, filter, null);
      tracker.open();
      NodeServiceFactory factory = tracker.waitForService(FACTORY_WAIT_MS);
      if (factory == null) {
        problem = c.local() ? "This computer has no pharmacy node installed: it cannot run the node for this till."
            : "This till has no way to reach a pharmacy node installed.";
        return;
      }
      NodeService opened = factory.open(c.settings());
      synchronized (this) {
        if (closed) {
          opened.close();
          return;
        }
        service = opened;
        problem = null;
      }
    } catch (NodeException e) {
      problem = e.getMessage();
      Activator.log("Could not open " + c.where() + " (" + e.refusal() + ")", e);
    } catch (InvalidSyntaxException | RuntimeException e) {
      problem = "Could not open " + c.where() + ": the details are in the log.";
      Activator.log("Could not open " + c.where(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (tracker != null) {
        tracker.close();
      }
    }
  }

  public NodeChoice choice() {
    return choice;
  }

  public String tillId() {
    return choice.tillId();
  }

  /** Why there is no node to talk to now (still starting, or failed), or null once it is open. */
  public String problem() {
    return problem;
  }

  /** The open node; refuses with a sentence while it is starting or could not be opened. */
  public NodeService service() {
    NodeService s = service;
    if (s == null) {
      throw new NodeException(choice.local() ? Refusal.NODE_NOT_READY : Refusal.NODE_UNREACHABLE, problem);
    }
    return s;
  }

  public boolean isOpen() {
    return service != null;
  }

  /** The person logged in, or null on the login screen. */
  public Session session() {
    return session;
  }

  /** The logged-in session's token for writes; refuses when nobody is logged in (locked meanwhile). */
  public String token() {
    Session s = session;
    if (s == null) {
      throw new NodeException(Refusal.NOT_LOGGED_IN, "Nobody is logged in at this till.");
    }
    return s.token();
  }

  /** Call on the UI thread: listeners update what they show. */
  public void setSession(Session s) {
    session = s;
    for (Consumer<Session> l : sessionListeners) {
      l.accept(s);
    }
  }

  public void addSessionListener(Consumer<Session> l) {
    sessionListeners.add(l);
  }

  public void removeSessionListener(Consumer<Session> l) {
    sessionListeners.remove(l);
  }

  /** Stops a local node cleanly (waiting for a start in progress first) when the workbench closes. */
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = opener;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    NodeService s;
    synchronized (this) {
      s = service;
      service = null;
      problem = "The pharmacy node was closed.";
    }
    if (s != null) {
      Session who = session;
      try {
        if (who != null) {
          s.logout(who.token());
        }
        s.close();
      } catch (RuntimeException e) {
        Activator.log("Closing " + choice.where() + " failed", e);
      }
    }
  }

}
