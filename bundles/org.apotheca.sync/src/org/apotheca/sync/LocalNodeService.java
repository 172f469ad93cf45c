package org.apotheca.sync;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.Repositories;
import org.apotheca.core.net.CdoClient;
import org.apotheca.core.users.UserAccount;
import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.CashUpDay;
import org.apotheca.node.api.CashUpFigures;
import org.apotheca.node.api.CashUpInfo;
import org.apotheca.node.api.CashUpRequest;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.CountRequest;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.ExpiryReport;
import org.apotheca.node.api.FinishRequest;
import org.apotheca.node.api.FloatRequest;
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
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
import org.apotheca.node.api.Refusal;
import org.apotheca.node.api.RegisterBalance;
import org.apotheca.node.api.RegisterDrug;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.Resolution;
import org.apotheca.node.api.Role;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;
import org.apotheca.node.api.StocktakeInfo;
import org.apotheca.node.api.StocktakeLineInfo;
import org.apotheca.node.api.StocktakeRequest;
import org.apotheca.node.api.SupplierReturnInfo;
import org.apotheca.node.api.SupplierReturnRequest;
import org.apotheca.node.api.WriteOffInfo;
import org.apotheca.node.api.WriteOffRequest;

/**
 * The pharmacy node answering a till in its own process (the back-office workbench), and behind the till protocol
 * for the tills on the LAN: the one {@link NodeService} implementation that writes. Every write is checked against
 * the session's user (still active here, allowed to do it) and recorded under that user's name.
 * <p>
 * Who may do what: selling, by anyone who works the counter (pharmacist, assistant, cashier, manager); refunds, by a
 * pharmacist or manager; goods receipts and supplier returns, by a pharmacist, assistant or manager; stock counts, floats
 * and a till's figures, by anyone at the counter; starting, finishing and cancelling stocktakes, expired-stock
 * write-offs and cash-ups, by a pharmacist or manager; patients, prescribers and prescriptions
 * (reading and preparing), by a pharmacist or assistant; dispensing and register notes, by a pharmacist only; reading
 * the controlled-drugs register, by a pharmacist, assistant or manager. docs/users.md has the table.
 */
public final class LocalNodeService implements NodeService {

  private static final Logger LOG = Logger.getLogger(LocalNodeService.class.getName());
  private static final Role[] COUNTER = { Role.PHARMACIST, Role.ASSISTANT, Role.CASHIER, Role.MANAGER };
  private static final Role[] REFUNDS = { Role.PHARMACIST, Role.MANAGER };
  private static final Role[] RECEIVING = { Role.PHARMACIST, Role.ASSISTANT, Role.MANAGER };
  private static final Role[] REPORTS = { Role.PHARMACIST, Role.MANAGER };
  /** Start, finish and cancel stocktakes; write off expired stock. */
  private static final Role[] STOCK_MANAGERS = { Role.PHARMACIST, Role.MANAGER };
  private static final Role[] CASH_UP = { Role.PHARMACIST, Role.MANAGER };
  /** Patients, prescribers, prescriptions: a pharmacist, or an assistant preparing for one. */
  private static final Role[] PREPARING = { Role.PHARMACIST, Role.ASSISTANT };
  /** Only a pharmacist finalises a prescription or writes in the controlled-drugs register. */
  private static final Role[] DISPENSING = { Role.PHARMACIST };
  private static final Role[] REGISTER_READ = { Role.PHARMACIST, Role.ASSISTANT, Role.MANAGER };
  /** Tills poll the state every second each: one computation serves them all for this long. */
  private static final long STATE_CACHE_MS = 300;

  private final PharmacyNode node;
  private final boolean ownsNode;
  private final Clock clock;
  private final Logins logins;
  private final List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile NodeState cachedState;
  private volatile long cachedAt;

  /**
   * @param ownsNode true when closing this service stops the node (the workbench's own node); false when the node
   *        outlives it (the headless node serving tills)
   */
  public LocalNodeService(PharmacyNode node, boolean ownsNode) {
    this(node, ownsNode, Clock.systemDefaultZone());
  }

  public LocalNodeService(PharmacyNode node, boolean ownsNode, Clock clock) {
    this.node = node;
    this.ownsNode = ownsNode;
    this.clock = clock;
    this.logins = new Logins(node.config().siteId(), clock);
  }

  public PharmacyNode node() {
    return node;
  }

  @Override
  public String describe() {
    return "pharmacy node " + node.config().siteId() + " on this computer";
  }

  // ---- people ----

  @Override
  public Session login(String tillId, String username, char[] password) {
    checkTill(tillId);
    NodeBook book = book();
    try {
      book.ledger();
    } catch (NodeException notReady) {
      throw new NodeException(Refusal.NODE_NOT_READY, "This pharmacy has not received its staff list from central yet: "
          + "the node must reach central once after installation.");
    }
    return call(() -> logins.login(tillId, username, password, book::staffMember));
  }

  @Override
  public void logout(String token) {
    logins.logout(token);
  }

  @Override
  public Session session(String token) {
    return call(() -> logins.check(token, this::staff));
  }

  // ---- catalogue and stock ----

  @Override
  public List<ProductInfo> search(String text, int limit) {
    return call(() -> book().search(text, limit));
  }

  @Override
  public ProductInfo product(String code) {
    return call(() -> book().product(code));
  }

  @Override
  public List<BatchInfo> batches(String code) {
    return call(() -> book().batches(code));
  }

  @Override
  public Quote quote(String token, LineRequest line) {
    return call(() -> {
      logins.check(token, this::staff);
      return book().quote(line);
    });
  }

  // ---- selling ----

  @Override
  public SaleInfo sell(String token, SaleRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "sell", COUNTER);
      return book().sell(s.tillId(), s.username(), request);
    });
  }

  @Override
  public SaleInfo sale(String receiptNumber) {
    return call(() -> book().sale(receiptNumber));
  }

  @Override
  public List<SaleInfo> sales(LocalDate day) {
    return call(() -> book().sales(day == null ? LocalDate.now(clock) : day));
  }

  @Override
  public RefundInfo refund(String token, RefundRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "refund a sale", REFUNDS);
      return book().refund(s.tillId(), s.username(), request);
    });
  }

  @Override
  public BatchInfo receive(String token, ReceiveRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "receive goods", RECEIVING);
      return book().receive(s.tillId(), s.username(), request);
    });
  }

  // ---- dispensary and controlled-drugs register (Dispensary, ControlledDrugRegister in the ledger) ----

  @Override
  public List<PatientInfo> findPatients(String token, String text, int limit) {
    return call(() -> {
      logins.require(token, this::staff, "look up patients", PREPARING);
      return book().ledger().dispensary().findPatients(text, limit);
    });
  }

  @Override
  public PatientInfo patient(String token, String patientId) {
    return call(() -> {
      logins.require(token, this::staff, "look up patients", PREPARING);
      return book().ledger().dispensary().patient(patientId);
    });
  }

  @Override
  public PatientInfo savePatient(String token, PatientRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "record patients", PREPARING);
      return book().write("Patient " + (request == null ? "" : request.patientId()),
          l -> l.dispensary().savePatient(s.username(), request));
    });
  }

  @Override
  public List<PrescriberInfo> findPrescribers(String token, String text, int limit) {
    return call(() -> {
      logins.require(token, this::staff, "look up prescribers", PREPARING);
      return book().ledger().dispensary().findPrescribers(text, limit);
    });
  }

  @Override
  public PrescriberInfo savePrescriber(String token, PrescriberRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "record prescribers", PREPARING);
      return book().write("Prescriber " + (request == null ? "" : request.prescriberId()),
          l -> l.dispensary().savePrescriber(s.username(), request));
    });
  }

  @Override
  public PrescriptionInfo savePrescription(String token, PrescriptionRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "prepare prescriptions", PREPARING);
      return book().write("Prescription " + (request == null ? "" : request.prescriptionId()),
          l -> l.dispensary().savePrescription(s.tillId(), s.username(), request));
    });
  }

  @Override
  public PrescriptionInfo prescription(String token, String prescriptionId) {
    return call(() -> {
      logins.require(token, this::staff, "look up prescriptions", PREPARING);
      return book().ledger().dispensary().prescription(prescriptionId);
    });
  }

  @Override
  public List<PrescriptionInfo> prescriptions(String token, String patientId) {
    return call(() -> {
      logins.require(token, this::staff, "look up prescriptions", PREPARING);
      return book().ledger().dispensary().prescriptions(patientId);
    });
  }

  @Override
  public List<ClinicalWarning> checkWarnings(String token, String prescriptionId, List<DispenseLine> lines) {
    return call(() -> {
      logins.require(token, this::staff, "check a prescription", PREPARING);
      return book().ledger().dispensary().checkWarnings(prescriptionId, lines);
    });
  }

  @Override
  public DispensingInfo dispense(String token, DispenseRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "dispense (only a pharmacist finalises a prescription)", DISPENSING);
      return book().write("Dispensing " + (request == null ? "" : request.dispensingId()),
          l -> l.dispensary().dispense(s.tillId(), s.username(), s.displayName(), request));
    });
  }

  @Override
  public DispensingInfo dispensing(String token, String dispensingId) {
    return call(() -> {
      logins.require(token, this::staff, "look up dispensings", PREPARING);
      return book().ledger().dispensary().dispensing(dispensingId);
    });
  }

  @Override
  public List<DispensingInfo> dispensingHistory(String token, String patientId) {
    return call(() -> {
      logins.require(token, this::staff, "see a patient's history", PREPARING);
      return book().ledger().dispensary().history(patientId);
    });
  }

  @Override
  public DispensingLabel label(String token, String dispensingId) {
    return call(() -> {
      logins.require(token, this::staff, "print labels", PREPARING);
      return book().ledger().dispensary().label(dispensingId);
    });
  }

  @Override
  public List<RegisterDrug> registerDrugs(String token) {
    return call(() -> {
      logins.require(token, this::staff, "read the controlled-drugs register", REGISTER_READ);
      return book().ledger().register().drugs();
    });
  }

  @Override
  public DrugRegister register(String token, String code) {
    return call(() -> {
      logins.require(token, this::staff, "read the controlled-drugs register", REGISTER_READ);
      return book().ledger().register().register(code);
    });
  }

  @Override
  public RegisterEntry addRegisterNote(String token, RegisterNoteRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "add notes to the controlled-drugs register", DISPENSING);
      return book().write("Register note " + (request == null ? "" : request.noteId()),
          l -> l.register().addNote(request, s.username(), s.displayName()));
    });
  }

  @Override
  public List<RegisterBalance> registerBalanceCheck(String token) {
    return call(() -> {
      logins.require(token, this::staff, "read the controlled-drugs register", REGISTER_READ);
      return book().ledger().register().balanceCheck();
    });
  }

  // ---- stock control (bo-stock) ----

  @Override
  public StocktakeInfo startStocktake(String token, StocktakeRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "start a stocktake", STOCK_MANAGERS);
      return book().startStocktake(s.tillId(), s.username(), request);
    });
  }

  @Override
  public List<StocktakeInfo> stocktakes() {
    return call(() -> book().stocktakes());
  }

  @Override
  public StocktakeInfo stocktake(String stocktakeId) {
    return call(() -> book().stocktake(stocktakeId));
  }

  @Override
  public StocktakeLineInfo countStock(String token, CountRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "count stock", COUNTER);
      return book().countStock(s.tillId(), s.username(), request);
    });
  }

  @Override
  public StocktakeInfo finishStocktake(String token, FinishRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "finish a stocktake", STOCK_MANAGERS);
      return book().finishStocktake(s.tillId(), s.username(), request);
    });
  }

  @Override
  public StocktakeInfo cancelStocktake(String token, String stocktakeId) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "cancel a stocktake", STOCK_MANAGERS);
      return book().cancelStocktake(s.tillId(), s.username(), stocktakeId);
    });
  }

  @Override
  public SupplierReturnInfo returnToSupplier(String token, SupplierReturnRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "return stock to a supplier", RECEIVING);
      return book().returnToSupplier(s.tillId(), s.username(), request);
    });
  }

  @Override
  public List<SupplierReturnInfo> supplierReturns(LocalDate day) {
    return call(() -> book().supplierReturns(day == null ? LocalDate.now(clock) : day));
  }

  @Override
  public ExpiryReport expiryReport(int days) {
    return call(() -> book().expiryReport(days));
  }

  @Override
  public WriteOffInfo writeOffExpired(String token, WriteOffRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "write off expired stock", STOCK_MANAGERS);
      return book().writeOffExpired(s.tillId(), s.username(), request);
    });
  }

  // ---- cash-up (bo-stock) ----

  @Override
  public CashUpFigures cashUpFigures(String token, String tillId, LocalDate day) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "see a till's takings", COUNTER);
      return book().cashUpFigures(tillId == null ? s.tillId() : tillId, day);
    });
  }

  @Override
  public CashUpFigures recordFloat(String token, FloatRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "record a till's float", COUNTER);
      FloatRequest r = request == null || request.tillId() != null ? request
          : new FloatRequest(s.tillId(), request.day(), request.openingFloatMinor());
      return book().recordFloat(s.username(), r);
    });
  }

  @Override
  public CashUpInfo closeCashUp(String token, CashUpRequest request) {
    return call(() -> {
      Session s = logins.require(token, this::staff, "cash up a till", CASH_UP);
      CashUpRequest r = request == null || request.tillId() != null ? request
          : new CashUpRequest(request.cashUpId(), s.tillId(), request.day(), request.openingFloatMinor(), request.counted(), request.note());
      return book().closeCashUp(s.username(), r);
    });
  }

  @Override
  public CashUpDay cashUps(LocalDate day) {
    return call(() -> book().cashUps(day));
  }

  // ---- sync state ----

  @Override
  public NodeState state() {
    // monotonic, not the node's clock: a clock moved forward and back (clock.adjustable) froze the cached state
    long now = System.nanoTime() / 1_000_000;
    NodeState s = cachedState;
    if (s != null && now - cachedAt < STATE_CACHE_MS) {
      return s;
    }
    s = computeState();
    cachedState = s;
    cachedAt = now;
    return s;
  }

  private NodeState computeState() {
    String site = node.config().siteId();
    if (!node.isRunning()) {
      return new NodeState(site, NodeState.Connection.NODE_UNREACHABLE, 0, "The pharmacy node is stopped.", 0, 0, 0, List.of());
    }
    NodeStatus status = node.status();
    if (!status.ready()) {
      String restoring = node.restoreProgressSentence();
      SeedProgress seed = node.seedProgress();
      String progress = seed == null || seed.shortText().isEmpty() ? "" : " " + seed.shortText().substring(0, 1).toUpperCase()
          + seed.shortText().substring(1) + ".";
      return new NodeState(site, NodeState.Connection.NOT_READY, node.stateSince(), restoring != null ? restoring
          : "Waiting for the catalogue and this pharmacy's data from central (first start)." + progress, 0, 0, 0, List.of());
    }
    NodeBook book = book();
    int pending;
    int other;
    List<org.apotheca.node.api.RecallAlert> alerts;
    try {
      pending = status.pendingSales();
      other = Math.max(0, status.pendingCommits() - pending);
      alerts = book.recallAlerts();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "State of node " + site + " not complete", e);
      pending = status.pendingCommits();
      other = 0;
      alerts = List.of();
    }
    NodeState.Connection c = switch (status.state()) {
    case ONLINE -> status.pendingCommits() > 0 ? NodeState.Connection.CATCHING_UP : NodeState.Connection.ONLINE;
    case SYNCING -> NodeState.Connection.CATCHING_UP;
    case OFFLINE -> NodeState.Connection.OFFLINE;
    case ERROR -> NodeState.Connection.ERROR;
    case STOPPED -> NodeState.Connection.NODE_UNREACHABLE;
    };
    String refusal = node.centralRefusal();
    if (c == NodeState.Connection.OFFLINE && refusal != null) {
      // not an outage that will pass: staff must call central, and meanwhile go on selling
      c = NodeState.Connection.ERROR;
    }
    String error = c != NodeState.Connection.ERROR ? null
        : refusal != null ? refusal + " Sales are kept on this computer." : plain(status.lastError());
    long catalogueAt = node.currentUntil(Repositories.CATALOGUE);
    return new NodeState(site, c, node.stateSince(), error, pending, other, status.lastSyncAt(), catalogueAt, alerts);
  }

  /** Errors come from CDO's depths: say where, keep the root message, drop what only a developer reads. */
  private static String plain(String error) {
    if (error == null || error.isBlank()) {
      return "Sending to central failed; the node keeps retrying.";
    }
    String e = error.replaceAll("\\b([a-z]+\\.)+[A-Z][A-Za-z]*(Exception|Error)\\b:? ?", "").strip();
    return "Sending to central failed (" + (e.isEmpty() ? "see the node's log" : e) + "); the node keeps retrying.";
  }

  @Override
  public List<Resolution> resolutions() {
    return call(() -> book().resolutions().stream().map(r -> new Resolution(r.at(), r.kind(), r.text())).toList());
  }

  // ---- reports ----

  @Override
  public List<DaySales> salesByDay(String token, LocalDate from, LocalDate to) {
    return call(() -> {
      logins.require(token, this::staff, "see the pharmacy's figures", REPORTS);
      return book().report(f -> f.salesByDay(from, to));
    });
  }

  @Override
  public List<ProductSales> salesByProduct(String token, LocalDate from, LocalDate to, int limit) {
    return call(() -> {
      logins.require(token, this::staff, "see the pharmacy's figures", REPORTS);
      return book().report(f -> f.salesByProduct(from, to, limit));
    });
  }

  @Override
  public StockValue stockValue(String token) {
    return call(() -> {
      logins.require(token, this::staff, "see the pharmacy's figures", REPORTS);
      return book().report(f -> f.stockValue(LocalDate.now(clock)));
    });
  }

  @Override
  public ExpiringStock expiringStock(String token, int days) {
    return call(() -> {
      logins.require(token, this::staff, "see the pharmacy's figures", REPORTS);
      return book().report(f -> f.expiringStock(LocalDate.now(clock), days));
    });
  }

  /** Runs when the service closes, before an owned node stops. */
  public void onClose(Runnable action) {
    onClose.add(action);
  }

  @Override
  public void close() {
    for (Runnable r : onClose) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Closing the node service", e);
      }
    }
    if (ownsNode) {
      node.stop();
    }
  }

  // ---- helpers ----

  private UserAccount staff(String username) {
    return book().staffMember(username);
  }

  private NodeBook book() {
    return node.ledgerHost();
  }

  /**
   * Refusals pass as they are; anything else is a failure of the node the till cannot fix: one plain sentence for the
   * till, the whole story in the node's log.
   */
  private static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (NodeException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Till request failed", e);
      throw new NodeException(Refusal.NOT_RECORDED, "The pharmacy node could not do this (" + CdoClient.rootMessage(e)
          + "). Nothing was recorded; try again.");
    }
  }

  private static void checkTill(String tillId) {
    if (tillId == null || !tillId.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      throw new NodeException(Refusal.BAD_INPUT, "'" + tillId + "' is not a valid till id (a-z, 0-9, '-'): check the till's settings");
    }
  }
}
