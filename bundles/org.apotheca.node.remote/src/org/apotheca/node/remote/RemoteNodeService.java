package org.apotheca.node.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.net.Endpoint;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeException;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.PatientInfo;
import org.apotheca.node.api.PatientRequest;
import org.apotheca.node.api.PrescriberInfo;
import org.apotheca.node.api.PrescriberRequest;
import org.apotheca.node.api.PrescriptionInfo;
import org.apotheca.node.api.PrescriptionRequest;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterBalance;
import org.apotheca.node.api.RegisterDrug;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Resolution;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.remote.TillProtocol.Op;
import org.eclipse.net4j.Net4jUtil;
import org.eclipse.net4j.connector.IConnector;
import org.eclipse.net4j.internal.tcp.TCPConnector;
import org.eclipse.net4j.tcp.TCPUtil;
import org.eclipse.net4j.util.container.ContainerUtil;
import org.eclipse.net4j.util.container.IManagedContainer;
import org.eclipse.net4j.util.io.ExtendedDataOutputStream;
import org.eclipse.net4j.util.io.IOTimeoutException;
import org.eclipse.net4j.util.concurrent.TimeoutRuntimeException;
import org.eclipse.net4j.util.lifecycle.ILifecycle;
import org.eclipse.net4j.util.lifecycle.LifecycleState;
import org.eclipse.net4j.util.lifecycle.LifecycleUtil;
import org.eclipse.spi.net4j.ConnectorFactory;

/**
 * A {@link NodeService} across the pharmacy LAN: a till's calls to its node, as signals of the till protocol on one
 * Net4j TCP connection to the node's till port (where the node serves CDO as well).
 * <p>
 * <b>Connection.</b> Nothing connects until the first call, so a till whose node is down still starts and says
 * so. A lost link (node restarted, cable pulled and back, node stopped) is noticed by the next call, which connects
 * again: whoever holds this object never has to recreate it. After a failed attempt, calls fail at once for a
 * second instead of queueing up behind new attempts.
 * <p>
 * <b>When the node cannot be reached</b> every call throws {@link NodeException} with
 * {@link Refusal#NODE_UNREACHABLE} and the sentence "Cannot reach the pharmacy node at host:port (reason): this till
 * cannot sell until it can." — except {@link #state()}, which never throws and returns that sentence as a
 * {@link NodeState} whose connection is {@code NODE_UNREACHABLE}.
 * <p>
 * <b>Lost answers and retries.</b> A call whose link dies after it was sent, or whose answer does not come within
 * its timeout (30 s for sell, refund and receive, 10 s for login, 5 s for the rest), also throws NODE_UNREACHABLE,
 * although the node may have done it. That is safe because every write carries an id the till chose before the
 * first attempt ({@link SaleRequest#saleId()}, {@link RefundRequest#refundId()}, {@link ReceiveRequest#receiptId()}):
 * the till retries with the same request object, and the node records it once and answers the recorded result.
 * A till must therefore never build a new request (a new id) to retry one whose outcome it did not see.
 * <p>
 * Safe for concurrent use: calls from several threads share the connection and run side by side. Never call from
 * the UI thread.
 */
public final class RemoteNodeService implements NodeService {

  private static final Logger LOG = Logger.getLogger(RemoteNodeService.class.getName());

  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  /** After a failed connection attempt, calls fail at once this long instead of each trying again. */
  private static final long RETRY_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final String CLOSED = "this till has closed its connection to the node";
  private static final String LOST = "the connection to the node was lost before it answered";

  private final Endpoint node;
  private final IManagedContainer container;
  private final TillTransport transport;
  private String target; // the Net4j description of the current connection; guarded by linkLock

  private final Object linkLock = new Object();
  private IConnector connector; // guarded by linkLock
  private TillClientProtocol protocol; // guarded by linkLock
  private String failure; // why the last attempt to connect failed; guarded by linkLock
  private long retryAt; // System.nanoTime(); guarded by linkLock
  private volatile boolean closed;

  private volatile NodeState lastState;
  private volatile long unreachableSince;

  /**
   * @param address the node's till endpoint, "host:port" (the node's {@code tills} setting)
   * @throws NodeException {@link Refusal#BAD_INPUT} when the address is not host:port
   */
  public RemoteNodeService(String address) {
    this(address, TillTransport.PLAIN);
  }

  /** @param transport TLS with the till's pairing ({@link TillTransport#tls}), or plain for development */
  public RemoteNodeService(String address, TillTransport transport) {
    this.node = parse(address);
    this.transport = transport;
    IManagedContainer c = ContainerUtil.createContainer();
    Net4jUtil.prepareContainer(c);
    TCPUtil.prepareContainer(c);
    c.activate();
    this.container = c;
  }

  static Endpoint parse(String address) {
    try {
      return Endpoint.parse(address);
    } catch (IllegalArgumentException e) {
      throw new NodeException(Refusal.BAD_INPUT, "The pharmacy node's address is not usable: " + e.getMessage()
          + ". Give it as host:port, for example 192.168.1.10:2046.");
    }
  }

  @Override
  public String describe() {
    return "pharmacy node at " + node;
  }

  // ---- the operations ----

  @Override
  public Session login(String tillId, String username, char[] password) {
    return (Session) call(Op.LOGIN, tillId, username, password);
  }

  @Override
  public void logout(String token) {
    call(Op.LOGOUT, token);
  }

  @Override
  public Session session(String token) {
    return (Session) call(Op.SESSION, token);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<ProductInfo> search(String text, int limit) {
    return (List<ProductInfo>) call(Op.SEARCH, text, limit);
  }

  @Override
  public ProductInfo product(String code) {
    return (ProductInfo) call(Op.PRODUCT, code);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<BatchInfo> batches(String code) {
    return (List<BatchInfo>) call(Op.BATCHES, code);
  }

  @Override
  public Quote quote(String token, LineRequest line) {
    return (Quote) call(Op.QUOTE, token, line);
  }

  @Override
  public SaleInfo sell(String token, SaleRequest request) {
    return (SaleInfo) call(Op.SELL, token, request);
  }

  @Override
  public SaleInfo sale(String receiptNumber) {
    return (SaleInfo) call(Op.SALE, receiptNumber);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<SaleInfo> sales(LocalDate day) {
    return (List<SaleInfo>) call(Op.SALES, day);
  }

  @Override
  public RefundInfo refund(String token, RefundRequest request) {
    return (RefundInfo) call(Op.REFUND, token, request);
  }

  @Override
  public BatchInfo receive(String token, ReceiveRequest request) {
    return (BatchInfo) call(Op.RECEIVE, token, request);
  }

  // ---- dispensary and controlled-drugs register ----

  @SuppressWarnings("unchecked")
  @Override
  public List<PatientInfo> findPatients(String token, String text, int limit) {
    return (List<PatientInfo>) call(Op.FIND_PATIENTS, token, text, limit);
  }

  @Override
  public PatientInfo patient(String token, String patientId) {
    return (PatientInfo) call(Op.PATIENT, token, patientId);
  }

  @Override
  public PatientInfo savePatient(String token, PatientRequest request) {
    return (PatientInfo) call(Op.SAVE_PATIENT, token, request);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<PrescriberInfo> findPrescribers(String token, String text, int limit) {
    return (List<PrescriberInfo>) call(Op.FIND_PRESCRIBERS, token, text, limit);
  }

  @Override
  public PrescriberInfo savePrescriber(String token, PrescriberRequest request) {
    return (PrescriberInfo) call(Op.SAVE_PRESCRIBER, token, request);
  }

  @Override
  public PrescriptionInfo savePrescription(String token, PrescriptionRequest request) {
    return (PrescriptionInfo) call(Op.SAVE_PRESCRIPTION, token, request);
  }

  @Override
  public PrescriptionInfo prescription(String token, String prescriptionId) {
    return (PrescriptionInfo) call(Op.PRESCRIPTION, token, prescriptionId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<PrescriptionInfo> prescriptions(String token, String patientId) {
    return (List<PrescriptionInfo>) call(Op.PRESCRIPTIONS, token, patientId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<ClinicalWarning> checkWarnings(String token, String prescriptionId, List<DispenseLine> lines) {
    return (List<ClinicalWarning>) call(Op.CHECK_WARNINGS, token, prescriptionId, lines);
  }

  @Override
  public DispensingInfo dispense(String token, DispenseRequest request) {
    return (DispensingInfo) call(Op.DISPENSE, token, request);
  }

  @Override
  public DispensingInfo dispensing(String token, String dispensingId) {
    return (DispensingInfo) call(Op.DISPENSING, token, dispensingId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<DispensingInfo> dispensingHistory(String token, String patientId) {
    return (List<DispensingInfo>) call(Op.DISPENSING_HISTORY, token, patientId);
  }

  @Override
  public DispensingLabel label(String token, String dispensingId) {
    return (DispensingLabel) call(Op.LABEL, token, dispensingId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<RegisterDrug> registerDrugs(String token) {
    return (List<RegisterDrug>) call(Op.REGISTER_DRUGS, token);
  }

  @Override
  public DrugRegister register(String token, String code) {
    return (DrugRegister) call(Op.REGISTER, token, code);
  }

  @Override
  public RegisterEntry addRegisterNote(String token, RegisterNoteRequest request) {
    return (RegisterEntry) call(Op.ADD_REGISTER_NOTE, token, request);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<RegisterBalance> registerBalanceCheck(String token) {
    return (List<RegisterBalance>) call(Op.REGISTER_BALANCE_CHECK, token);
  }

  /** Never throws: a node this till cannot reach is a state like any other, with the reason in {@code error}. */
  @Override
  public NodeState state() {
    try {
      NodeState state = (NodeState) call(Op.STATE);
      lastState = state;
      return state;
    } catch (NodeException e) {
      NodeState last = lastState;
      String siteId = last == null ? null : last.siteId();
      long lastContact = last == null ? 0 : last.lastContactAt();
      long catalogue = last == null ? 0 : last.catalogueAt();
      if (e.refusal() == Refusal.NODE_UNREACHABLE) {
        return new NodeState(siteId, NodeState.Connection.NODE_UNREACHABLE, unreachableSince, e.getMessage(), 0,
            lastContact, catalogue, List.of());
      }
      // reached, but the node failed to say how it is
      return new NodeState(siteId, NodeState.Connection.ERROR, System.currentTimeMillis(), e.getMessage(), 0,
          lastContact, catalogue, List.of());
    } catch (RuntimeException e) { // a bug here must not take the status bar down
      LOG.log(Level.WARNING, "Asking the " + describe() + " for its state failed", e);
      return new NodeState(null, NodeState.Connection.NODE_UNREACHABLE, unreachableSince,
          unreachable("this till failed to ask it; the till's log has the details").getMessage(), 0, 0, 0, List.of());
    }
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<Resolution> resolutions() {
    return (List<Resolution>) call(Op.RESOLUTIONS);
  }

  /** Closes the connection and its threads. Calls waiting for an answer give up at once; later calls refuse. */
  @Override
  public void close() {
    synchronized (linkLock) {
      if (closed) {
        return;
      }
      closed = true;
      forget(CLOSED);
    }
    transport.close();
    LifecycleUtil.deactivate(container);
  }

  // ---- one call ----

  private Object call(Op op, Object... args) {
    byte[] request = encode(op, args);
    TillCall.Outcome outcome;
    try {
      TillClientProtocol link = link(op);
      TillCall call = new TillCall(link, op, request);
      try {
        outcome = link.send(call, op.timeoutMillis);
      } catch (Exception e) {
        throw lost(link, op, call, e);
      }
    } finally {
      if (op == Op.LOGIN) {
        Arrays.fill(request, (byte) 0); // it holds the password
      }
    }
    reached();
    if (outcome.refusal() != null) {
      String message = outcome.message() != null ? outcome.message()
          : "The pharmacy node refused this (" + outcome.refusal() + ").";
      throw new NodeException(outcome.refusal(), message);
    }
    return outcome.value();
  }

  /** The request's bytes, before anything is sent: a value the protocol cannot carry is refused here. */
  private static byte[] encode(Op op, Object[] args) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      ExtendedDataOutputStream out = new ExtendedDataOutputStream(bytes);
      TillCodec.writeArguments(out, op, args);
      out.flush();
      return bytes.toByteArray();
    } catch (TillCodec.TooLarge e) {
      throw new NodeException(e.refusal, e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e); // cannot happen
    }
  }

  private NodeException lost(TillClientProtocol link, Op op, TillCall call, Exception e) {
    String reason;
    if (call.abandoned() != null) {
      reason = call.abandoned();
    } else if (e instanceof TimeoutRuntimeException || e instanceof IOTimeoutException) {
      reason = "it did not answer within " + TimeUnit.MILLISECONDS.toSeconds(op.timeoutMillis) + " seconds";
    } else if (e instanceof TillCodec.Malformed) {
      reason = "its answer could not be read; is it running the same version of Apotheca as this till?";
    } else {
      reason = LOST;
    }
    LOG.log(Level.FINE, "A " + op.word() + " call to the " + describe() + " got no answer", e);
    if (!link.isActive() || e instanceof TillCodec.Malformed) {
      synchronized (linkLock) {
        if (protocol == link) {
          forget(LOST);
        }
      }
    }
    return unreachable(reason);
  }

  // ---- the link ----

  /** The live link to the node, connecting first when there is none. */
  private TillClientProtocol link(Op op) {
    synchronized (linkLock) {
      if (closed) {
        throw new NodeException(Refusal.NODE_UNREACHABLE, sentence(CLOSED));
      }
      if (protocol != null && protocol.isActive() && LifecycleUtil.isActive(connector)) {
        return protocol;
      }
      forget(LOST);
      long now = System.nanoTime();
      if (failure != null && now - retryAt < 0) {
        throw unreachable(failure);
      }
      try {
        protocol = connect(Math.min(op.timeoutMillis, CONNECT_TIMEOUT_MILLIS));
        failure = null;
        return protocol;
      } catch (Unreachable e) {
        forget(e.getMessage());
        failure = e.getMessage();
        retryAt = System.nanoTime() + RETRY_PAUSE_NANOS;
        throw unreachable(failure);
      }
    }
  }

  private TillClientProtocol connect(long timeoutMillis) throws Unreachable {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      InetAddress.getByName(node.host());
    } catch (UnknownHostException e) {
      throw new Unreachable("no computer called '" + node.host() + "' is known on this network");
    }
    try {
      target = transport.open(node);
    } catch (IOException e) {
      throw new Unreachable(TillTransport.sentence(e));
    }
    IConnector c;
    try {
      c = (IConnector) container.getElement(ConnectorFactory.PRODUCT_GROUP, TCPUtil.FACTORY_TYPE, target, false);
      connector = c;
      noDelay(c);
      c.connectAsync();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Connecting to the " + describe() + " failed", e);
      throw new Unreachable("this till could not open a connection; the till's log has the details");
    }
    // Net4j's own wait sits out its full timeout when the connection is refused; this loop returns at once
    while (!connected(c)) {
      if (c instanceof ILifecycle l && l.getLifecycleState() == LifecycleState.INACTIVE) {
        throw new Unreachable("nothing answers on port " + node.port() + " there; is the node running?");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new Unreachable("no answer within " + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + " seconds");
      }
      LockSupport.parkNanos(500_000);
      if (Thread.currentThread().isInterrupted()) {
        throw new Unreachable("this till stopped waiting for the connection");
      }
    }
    TillClientProtocol p = new TillClientProtocol();
    try {
      c.setOpenChannelTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      p.open(c);
      return p;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Opening the till protocol channel to the " + describe() + " failed", e);
      LifecycleUtil.deactivate(p);
      String text = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
      if (text.contains("version")) {
        throw new Unreachable("it speaks a different version of the till protocol; update this till or the node");
      }
      if (text.contains("factory") || text.contains(TillProtocol.NAME)) {
        throw new Unreachable("it does not serve tills there");
      }
      throw new Unreachable("it did not accept this till's connection");
    }
  }

  private static boolean connected(IConnector c) {
    try {
      return c.isConnected();
    } catch (RuntimeException e) { // a failed negotiation: there is none without a negotiator, but be safe
      return false;
    }
  }

  /** Nagle plus delayed ACK would add ~40 ms to a small call; Net4j never switches it off. */
  private static void noDelay(IConnector c) {
    if (c instanceof TCPConnector tcp) {
      SocketChannel channel = tcp.getSocketChannel();
      try {
        if (channel != null && channel.isOpen()) {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
      } catch (IOException | UnsupportedOperationException e) {
        // slower, not broken
      }
    }
  }

  /** Drops the link, if any: its waiting calls give up with {@code reason}. */
  private void forget(String reason) {
    if (protocol != null) {
      protocol.close(reason);
      protocol = null;
    }
    if (connector != null) {
      IConnector c = connector;
      connector = null;
      LifecycleUtil.deactivate(c);
      if (container.isActive()) {
        // a refused connector never reports its end, so the container would hand it out again
        container.removeElement(ConnectorFactory.PRODUCT_GROUP, TCPUtil.FACTORY_TYPE, target);
      }
    }
  }

  private void reached() {
    if (unreachableSince != 0) {
      unreachableSince = 0;
      LOG.info(() -> "Reached the " + describe() + " again");
    }
  }

  private NodeException unreachable(String reason) {
    if (unreachableSince == 0 && !closed) {
      unreachableSince = System.currentTimeMillis();
      LOG.warning(() -> "Cannot reach the " + describe() + ": " + reason);
    }
    return new NodeException(Refusal.NODE_UNREACHABLE, sentence(reason));
  }

  private String sentence(String reason) {
    if (reason.startsWith(NodeState.TILL_REFUSED)) {
      return reason; // not a line fault that may pass: the node said no to this till, and says why
    }
    return "Cannot reach the pharmacy node at " + node + " (" + reason + "): this till cannot sell until it can.";
  }

  /** Why the link could not be made, in words for the person at the till. */
  private static final class Unreachable extends Exception {

    private static final long serialVersionUID = 1L;

    Unreachable(String reason) {
      super(reason, null, false, false);
    }
  }
}
