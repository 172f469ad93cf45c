package org.apotheca.server.access;

import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.eclipse.emf.cdo.common.revision.CDORevision;
import org.eclipse.emf.cdo.internal.server.SessionManager;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.server.ISession;
import org.eclipse.emf.cdo.server.IStoreAccessor.CommitContext;
import org.eclipse.emf.cdo.server.ITransaction;
import org.eclipse.emf.cdo.spi.server.IAuthenticationProtocol;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.net4j.channel.IChannel;
import org.eclipse.net4j.internal.tcp.TCPConnector;
import org.eclipse.net4j.jvm.IJVMConnector;
import org.eclipse.net4j.protocol.IProtocol;
import org.eclipse.net4j.util.om.monitor.OMMonitor;

/**
 * Central's authorization, on every session and every commit: who a connection is comes from where it came in (the
 * in-JVM acceptor is central itself; a TCP connection is whoever the TLS gate admitted on that loopback port), never
 * from a user name or password the client sends. A pharmacy's certificate opens the catalogue (read-only) and its
 * own site repository, nothing else.
 * <p>
 * CDO 4.7's jars have no security manager, so this is a session manager of our own (it names the session's user
 * after its principal instead of asking for a password) plus a read and a write access handler that ask that
 * principal again for every revision sent and every commit.
 */
public final class SessionGate {

  private static final Logger LOG = Logger.getLogger(SessionGate.class.getName());

  private final IntFunction<Optional<Object>> gateIdentity;
  private final boolean developerTcp;

  /**
   * @param gateIdentity what the TLS gate admitted on the connection whose loopback port this is (the gate's
   *        {@code identityOfTargetConnection}); null when there is no gate
   * @param developerTcp true only with the documented development flag: a plain TCP connection is trusted
   */
  public SessionGate(IntFunction<Optional<Object>> gateIdentity, boolean developerTcp) {
    this.gateIdentity = gateIdentity;
    this.developerTcp = developerTcp;
  }

  /** Puts the gate on a repository that is not active yet (CDO lets a session manager be set only before). */
  public void install(IRepository repository) {
    InternalRepository internal = (InternalRepository) repository;
    String name = repository.getName();
    internal.setSessionManager(new GatedSessionManager(name));
    internal.addHandler((IRepository.ReadAccessHandler) (session, revisions, additional) -> checkRead(session, name, additional));
    internal.addHandler(new IRepository.WriteAccessHandler() {
      @Override
      public void handleTransactionBeforeCommitting(ITransaction transaction, CommitContext context, OMMonitor monitor) {
        checkCommit(transaction.getSession(), name);
        if (name.startsWith(Repositories.SITE_REPOSITORY_PREFIX)) {
          String refusal = AppendOnlyRegister.commitRefusal(context);
          if (refusal != null) {
            throw refuse(principalOf(transaction.getSession()) + ": " + refusal);
          }
        }
      }

      @Override
      public void handleTransactionAfterCommitted(ITransaction transaction, CommitContext context, OMMonitor monitor) {
        // nothing to undo: a refused commit never reaches the store
      }
    });
  }

  /** Who is at the other end of a session's connection, or a SecurityException that says why nobody may be. */
  Principal principalOf(IAuthenticationProtocol protocol) {
    if (protocol == null) {
      return Principal.CONSOLE; // CDO opens such sessions only inside the server itself
    }
    IChannel channel = protocol instanceof IProtocol<?> p ? p.getChannel() : null;
    Object multiplexer = channel == null ? null : channel.getMultiplexer();
    if (multiplexer instanceof IJVMConnector) {
      return Principal.CONSOLE;
    }
    if (multiplexer instanceof TCPConnector tcp && tcp.getSocketChannel() != null) {
      Socket socket = tcp.getSocketChannel().socket();
      if (gateIdentity != null && socket.getInetAddress() != null && socket.getInetAddress().isLoopbackAddress()) {
        Optional<Object> admitted = gateIdentity.apply(socket.getPort());
        if (admitted.isPresent() && admitted.get() instanceof Principal principal) {
          return principal;
        }
      }
      if (developerTcp) {
        return new Principal(Principal.Kind.DEVELOPER, String.valueOf(socket.getRemoteSocketAddress()));
      }
      throw refuse("a connection from " + socket.getRemoteSocketAddress() + " did not come through the TLS gate");
    }
    throw refuse("a connection of an unknown kind (" + (multiplexer == null ? "none" : multiplexer.getClass().getSimpleName()) + ")");
  }

  private static SecurityException refuse(String why) {
    LOG.warning("Refused: " + why);
    return new SecurityException("Refused by central: " + why);
  }

  private static Principal principalOf(ISession session) {
    Principal p = session == null ? null : Principal.parse(session.getUserID());
    if (p == null) {
      throw refuse("session " + (session == null ? "?" : session.getSessionID()) + " has no known principal");
    }
    return p;
  }

  private static void checkRead(ISession session, String repository, List<CDORevision> additional) {
    String refusal = AccessRules.openRefusal(principalOf(session), repository);
    if (refusal != null) {
      additional.clear();
      throw refuse(refusal);
    }
  }

  private static void checkCommit(ISession session, String repository) {
    String refusal = AccessRules.commitRefusal(principalOf(session), repository);
    if (refusal != null) {
      throw refuse(refusal);
    }
  }

  /** Names each session after its principal and refuses the repositories that principal may not open. */
  private final class GatedSessionManager extends SessionManager {
    private final String repository;

    GatedSessionManager(String repository) {
      this.repository = repository;
    }

    @Override
    public String authenticateUser(IAuthenticationProtocol protocol) throws SecurityException {
      Principal who = principalOf(protocol);
      String refusal = AccessRules.openRefusal(who, repository);
      if (refusal != null) {
        throw refuse(refusal);
      }
      return who.userId();
    }
  }
}
