package org.apotheca.sync;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.emf.cdo.CDOObject;
import org.eclipse.emf.cdo.common.branch.CDOBranch;
import org.eclipse.emf.cdo.common.branch.CDOBranchPoint;
import org.eclipse.emf.cdo.common.commit.CDOCommitData;
import org.eclipse.emf.cdo.common.id.CDOID;
import org.eclipse.emf.cdo.common.lob.CDOLob;
import org.eclipse.emf.cdo.common.lock.CDOLockState;
import org.eclipse.emf.cdo.common.model.CDOPackageUnit;
import org.eclipse.emf.cdo.common.revision.CDORevisionCache;
import org.eclipse.emf.cdo.common.revision.CDORevisionUtil;
import org.eclipse.emf.cdo.common.revision.delta.CDORevisionDelta;
import org.eclipse.emf.cdo.internal.net4j.CDONet4jSessionConfigurationImpl;
import org.eclipse.emf.cdo.internal.net4j.CDONet4jSessionImpl;
import org.eclipse.emf.cdo.session.CDOSession;
import org.eclipse.emf.cdo.session.CDOSessionConfiguration;
import org.eclipse.emf.cdo.session.CDOSessionConfigurationFactory;
import org.eclipse.emf.cdo.session.CDOSessionLocksChangedEvent;
import org.eclipse.emf.internal.cdo.session.DelegatingSessionProtocol;
import org.eclipse.emf.spi.cdo.CDOSessionProtocol;
import org.eclipse.emf.spi.cdo.InternalCDOSession;
import org.eclipse.emf.spi.cdo.InternalCDOTransaction;
import org.eclipse.emf.spi.cdo.InternalCDOTransaction.InternalCDOCommitContext;
import org.eclipse.net4j.connector.IConnector;
import org.eclipse.net4j.jvm.JVMUtil;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.event.IEvent;
import org.eclipse.net4j.util.event.IListener;
import org.eclipse.net4j.util.om.monitor.OMMonitor;

/**
 * The remote ("replicator") sessions an offline clone opens to central: what
 * {@code CDOServerUtil.createRepositorySynchronizer(...)} is given.
 * <p>
 * The sessions are plain CDO Net4j sessions except for two route-arounds of CDO 4.7.0 bugs that break an
 * offline clone (see docs/building.md, "CDO 4.7 clone facts"). Both are done on the replicator session only;
 * the write-through lock, ID mapping and time stamps stay CDO's own code.
 * <ol>
 * <li><b>Write-through NPE.</b> Every commit through an ONLINE clone (and so every merge of an offline branch)
 * fails with a NullPointerException in {@code CommitTransactionRequest.<init>}: since CDO 4.5 (Bugzilla 485487)
 * the request calls {@code context.getTransaction().getCommitToken()} unguarded, but the clone's
 * {@code WriteThroughCommitContext} hands the client protocol a context whose {@code getTransaction()} is
 * hard-coded to null. The session's protocol is wrapped so that {@code commitDelegation} gets a context whose
 * transaction is a stand-in answering {@code getCommitToken()} with null (what the request sent before 4.5).</li>
 * <li><b>Master commits silently stop reaching the clone.</b> Every commit notification also fires a
 * locks-changed event on the replicator session; the synchronizer's lock task then fails (NPE) and is re-queued
 * with the commits' priority, after which the next commit task cannot enter the queue (ClassCastException in
 * RepositorySynchronizer): the commit is lost while {@code getLastReplicatedCommitTime()} still advances. A clone
 * never takes master locks, so the session drops {@link CDOSessionLocksChangedEvent}s.</li>
 * </ol>
 * Each route-around can be switched off ({@link Fix}) only so that tests can prove the upstream bugs are still
 * there; production code always uses {@link Fix#ALL}.
 */
public final class ReplicatorSessions implements CDOSessionConfigurationFactory {

  /** Which route-arounds the replicator sessions apply. */
  public enum Fix {
    ALL(true, true), NO_WRITE_THROUGH_FIX(false, true), NO_LOCK_EVENT_FIX(true, false);

    final boolean writeThrough;
    final boolean dropLockEvents;

    Fix(boolean writeThrough, boolean dropLockEvents) {
      this.writeThrough = writeThrough;
      this.dropLockEvents = dropLockEvents;
    }
  }

  private final Supplier<IConnector> connector;
  private final String repositoryName;
  private final Fix fix;

  /** @param central the Net4j TCP description to reach central by now (a TLS forwarder's local port, see CentralLink) */
  public ReplicatorSessions(IManagedContainer container, Supplier<String> central, String repositoryName, Fix fix) {
    this.connector = () -> TCPUtil.getConnector(container, central.get());
    this.repositoryName = repositoryName;
    this.fix = fix;
  }

  private ReplicatorSessions(IManagedContainer container, String jvmAcceptor, String repositoryName) {
    this.connector = () -> JVMUtil.getConnector(container, jvmAcceptor);
    this.repositoryName = repositoryName;
    this.fix = Fix.ALL;
  }

  /**
   * Sessions to a repository of this very JVM through its in-JVM acceptor (central's own clone of its catalogue, from
   * which it makes the catalogue seed: {@link CatalogueSeedMaker}).
   */
  public static ReplicatorSessions inJvm(IManagedContainer container, String jvmAcceptor, String repositoryName) {
    return new ReplicatorSessions(container, jvmAcceptor, repositoryName);
  }

  /**
   * Called by the synchronizer for every (re)connect attempt. The connector is looked up each time: after
   * central went away the old one is deactivated and the container hands out a fresh one. If central is
   * unreachable this throws, and the synchronizer retries after its retry interval.
   */
  @Override
  public CDOSessionConfiguration createSessionConfiguration() {
    Configuration config = new Configuration(fix);
    config.setConnector(connector.get());
    config.setRepositoryName(repositoryName);
    // The synchronizer insists on a session without a revision cache: otherwise its connect task throws
    // java.lang.Error("Master session does not use a NOOPRevisionCache"), which kills the synchronizer thread
    // and leaves the clone OFFLINE for good without any event.
    config.setRevisionManager(CDORevisionUtil.createRevisionManager(CDORevisionCache.NOOP));
    return config;
  }

  static final class Configuration extends CDONet4jSessionConfigurationImpl {
    private final Fix fix;

    Configuration(Fix fix) {
      this.fix = fix;
    }

    @Override
    public InternalCDOSession createSession() {
      // CDO's own offline tests use the same "override createSession()" pattern for their configurations.
      return new ReplicatorSession(fix);
    }
  }

  /** The clone's session on central, with both route-arounds. */
  static final class ReplicatorSession extends CDONet4jSessionImpl {
    private final Fix fix;

    ReplicatorSession(Fix fix) {
      this.fix = fix;
    }

    @Override
    public void setSessionProtocol(CDOSessionProtocol sessionProtocol) {
      // Bug 1 (write-through NPE). getClientProtocol() unwraps a DelegatingSessionProtocol and deactivation still
      // propagates through it, so offline detection keeps working.
      if (fix.writeThrough && sessionProtocol != null && !(sessionProtocol instanceof WriteThroughProtocol)) {
        sessionProtocol = new WriteThroughProtocol(sessionProtocol);
      }
      super.setSessionProtocol(sessionProtocol);
    }

    // Bug 2 (lost master commits): a clone never uses master locks; the locks-changed event only poisons the
    // synchronizer's queue. Both fireEvent variants are covered so no dispatch path lets one through.
    @Override
    public void fireEvent(IEvent event) {
      if (fix.dropLockEvents && event instanceof CDOSessionLocksChangedEvent) {
        return;
      }
      super.fireEvent(event);
    }

    @Override
    public void fireEvent(IEvent event, IListener[] listeners) {
      if (fix.dropLockEvents && event instanceof CDOSessionLocksChangedEvent) {
        return;
      }
      super.fireEvent(event, listeners);
    }
  }

  /** Rethrows: DelegatingSessionProtocol with a null handler turns every protocol error into an NPE. */
  private static final CDOSession.ExceptionHandler RETHROW = (session, attempt, exception) -> {
    throw exception;
  };

  static final class WriteThroughProtocol extends DelegatingSessionProtocol {
    WriteThroughProtocol(CDOSessionProtocol delegate) {
      super(delegate, RETHROW);
    }

    @Override
    public CommitTransactionResult commitDelegation(InternalCDOCommitContext context, OMMonitor monitor) {
      if (context != null && context.getTransaction() == null) {
        // The clone's WriteThroughCommitContext: give the request a transaction whose commit token is null.
        context = new WithStandInTransaction(context);
      }
      return super.commitDelegation(context, monitor);
    }
  }

  /** Forwards everything to the clone's write-through context, except that it has a (stand-in) transaction. */
  static final class WithStandInTransaction implements InternalCDOCommitContext {
    private final InternalCDOCommitContext delegate;

    WithStandInTransaction(InternalCDOCommitContext delegate) {
      this.delegate = delegate;
    }

    @Override
    public InternalCDOTransaction getTransaction() {
      return STAND_IN_TRANSACTION;
    }

    @Override
    public void preCommit() {
      delegate.preCommit();
    }

    @Override
    public void postCommit(CDOSessionProtocol.CommitTransactionResult result) {
      delegate.postCommit(result);
    }

    @Override
    public String getUserID() {
      return delegate.getUserID();
    }

    @Override
    public int getViewID() {
      return delegate.getViewID();
    }

    @Override
    public CDOBranch getBranch() {
      return delegate.getBranch();
    }

    @Override
    public boolean isPartialCommit() {
      return delegate.isPartialCommit();
    }

    @Override
    public CDOCommitData getCommitData() {
      return delegate.getCommitData();
    }

    @Override
    public String getCommitComment() {
      return delegate.getCommitComment();
    }

    @Override
    public CDOBranchPoint getCommitMergeSource() {
      return delegate.getCommitMergeSource();
    }

    @Override
    public List<CDOPackageUnit> getNewPackageUnits() {
      return delegate.getNewPackageUnits();
    }

    @Override
    public Map<CDOID, CDOObject> getNewObjects() {
      return delegate.getNewObjects();
    }

    @Override
    public Map<CDOID, CDOObject> getDirtyObjects() {
      return delegate.getDirtyObjects();
    }

    @Override
    public Map<CDOID, CDOObject> getDetachedObjects() {
      return delegate.getDetachedObjects();
    }

    @Override
    public Map<CDOID, CDORevisionDelta> getRevisionDeltas() {
      return delegate.getRevisionDeltas();
    }

    @Override
    public Collection<CDOLob<?>> getLobs() {
      return delegate.getLobs();
    }

    @Override
    public boolean isAutoReleaseLocks() {
      return delegate.isAutoReleaseLocks();
    }

    @Override
    public Collection<CDOLockState> getLocksOnNewObjects() {
      return delegate.getLocksOnNewObjects();
    }

    @Override
    public Collection<CDOID> getIDsToUnlock() {
      return delegate.getIDsToUnlock();
    }

    @Override
    public String toString() {
      return "WithStandInTransaction[" + delegate + "]";
    }
  }

  /**
   * The transaction a write-through commit pretends to come from. {@code CommitTransactionRequest} only asks it
   * for its commit token (null = none, as before CDO 4.5). Anything else is refused loudly, so that a later use
   * by CDO shows up as a clear error instead of wrong data.
   */
  static final InternalCDOTransaction STAND_IN_TRANSACTION = standIn();

  private static InternalCDOTransaction standIn() {
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
      case "getCommitToken":
        if (method.getParameterCount() == 0) {
          return null;
        }
        break;
      case "toString":
        if (method.getParameterCount() == 0) {
          return "stand-in transaction of a write-through commit (Apotheca route-around of CDO bug 485487)";
        }
        break;
      case "hashCode":
        if (method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
        break;
      case "equals":
        if (method.getParameterCount() == 1) {
          return proxy == args[0];
        }
        break;
      default:
        break;
      }
      throw unsupported(method);
    };
    return (InternalCDOTransaction) Proxy.newProxyInstance(InternalCDOTransaction.class.getClassLoader(),
        new Class<?>[] { InternalCDOTransaction.class }, handler);
  }

  private static UnsupportedOperationException unsupported(Method method) {
    return new UnsupportedOperationException("CDO called " + method.getDeclaringClass().getSimpleName() + "."
        + method.getName() + "() on the stand-in transaction of a write-through commit; Apotheca's route-around of"
        + " the CDO 4.7 write-through NPE only supports getCommitToken(). Check ReplicatorSessions against this CDO"
        + " version.");
  }
}
