package org.apotheca.node.remote.tests;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

import org.apotheca.node.api.BatchInfo;
import org.apotheca.node.api.ClinicalWarning;
import org.apotheca.node.api.DispenseLine;
import org.apotheca.node.api.DispenseRequest;
import org.apotheca.node.api.DispensingInfo;
import org.apotheca.node.api.DispensingLabel;
import org.apotheca.node.api.DrugRegister;
import org.apotheca.node.api.LineRequest;
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
import org.apotheca.node.api.RegisterBalance;
import org.apotheca.node.api.RegisterDrug;
import org.apotheca.node.api.RegisterEntry;
import org.apotheca.node.api.RegisterNoteRequest;
import org.apotheca.node.api.Resolution;
import org.apotheca.node.api.SaleInfo;
import org.apotheca.node.api.SaleRequest;
import org.apotheca.node.api.Session;

/**
 * Transport test double: a {@link NodeService} with no node behind it. Each operation records the arguments it
 * was called with and answers what the test told it to ({@link #on}), by default a fixed value from
 * {@link Samples}. It checks nothing and stores nothing, so the tests that use it test the till protocol only:
 * that what a till sends arrives, and what the node answers or refuses comes back, field for field.
 */
final class TransportTestDouble implements NodeService {

  /** One call as the double received it; a password is copied at once (the endpoint wipes it after the call). */
  record Call(String op, List<Object> args) {
  }

  private final Map<String, Function<List<Object>, Object>> answers = new ConcurrentHashMap<>();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  TransportTestDouble() {
    on("login", a -> Samples.session((String) a.get(0), (String) a.get(1)));
    on("logout", a -> null);
    on("session", a -> Samples.session("till-1", "alice"));
    on("search", a -> List.of(Samples.product((String) a.get(0)), Samples.productWithNulls()));
    on("product", a -> Samples.product((String) a.get(0)));
    on("batches", a -> List.of(Samples.batch(), Samples.batchWithoutRecall()));
    on("quote", a -> Samples.quote((LineRequest) a.get(1)));
    on("sell", a -> Samples.sale(((SaleRequest) a.get(1)).saleId()));
    on("sale", a -> Samples.sale("sale-for-" + a.get(0)));
    on("sales", a -> List.of(Samples.sale("s-1"), Samples.sale("s-2")));
    on("refund", a -> Samples.refund((RefundRequest) a.get(1)));
    on("receive", a -> Samples.received((ReceiveRequest) a.get(1)));
    on("state", a -> Samples.state());
    on("resolutions", a -> Samples.resolutions());
  }

  /** What {@code op} answers from now on; the function may also throw or sleep. */
  void on(String op, Function<List<Object>, Object> answer) {
    answers.put(op, answer);
  }

  List<Call> calls(String op) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.op().equals(op)).toList();
    }
  }

  Call lastCall(String op) {
    List<Call> list = calls(op);
    return list.isEmpty() ? null : list.get(list.size() - 1);
  }

  private Object handle(String op, Object... args) {
    calls.add(new Call(op, Collections.unmodifiableList(Arrays.asList(args))));
    return answers.get(op).apply(Arrays.asList(args));
  }

  @Override
  public String describe() {
    return "transport test double";
  }

  @Override
  public Session login(String tillId, String username, char[] password) {
    return (Session) handle("login", tillId, username, password == null ? null : password.clone());
  }

  @Override
  public void logout(String token) {
    handle("logout", token);
  }

  @Override
  public Session session(String token) {
    return (Session) handle("session", token);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<ProductInfo> search(String text, int limit) {
    return (List<ProductInfo>) handle("search", text, limit);
  }

  @Override
  public ProductInfo product(String code) {
    return (ProductInfo) handle("product", code);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<BatchInfo> batches(String code) {
    return (List<BatchInfo>) handle("batches", code);
  }

  @Override
  public Quote quote(String token, LineRequest line) {
    return (Quote) handle("quote", token, line);
  }

  @Override
  public SaleInfo sell(String token, SaleRequest request) {
    return (SaleInfo) handle("sell", token, request);
  }

  @Override
  public SaleInfo sale(String receiptNumber) {
    return (SaleInfo) handle("sale", receiptNumber);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<SaleInfo> sales(LocalDate day) {
    return (List<SaleInfo>) handle("sales", day);
  }

  @Override
  public RefundInfo refund(String token, RefundRequest request) {
    return (RefundInfo) handle("refund", token, request);
  }

  @Override
  public BatchInfo receive(String token, ReceiveRequest request) {
    return (BatchInfo) handle("receive", token, request);
  }

  // ---- dispensary and register: no answers by default (a test sets one with on(...)) ----

  @SuppressWarnings("unchecked")
  @Override
  public List<PatientInfo> findPatients(String token, String text, int limit) {
    return (List<PatientInfo>) handle("findPatients", token, text, limit);
  }

  @Override
  public PatientInfo patient(String token, String patientId) {
    return (PatientInfo) handle("patient", token, patientId);
  }

  @Override
  public PatientInfo savePatient(String token, PatientRequest request) {
    return (PatientInfo) handle("savePatient", token, request);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<PrescriberInfo> findPrescribers(String token, String text, int limit) {
    return (List<PrescriberInfo>) handle("findPrescribers", token, text, limit);
  }

  @Override
  public PrescriberInfo savePrescriber(String token, PrescriberRequest request) {
    return (PrescriberInfo) handle("savePrescriber", token, request);
  }

  @Override
  public PrescriptionInfo savePrescription(String token, PrescriptionRequest request) {
    return (PrescriptionInfo) handle("savePrescription", token, request);
  }

  @Override
  public PrescriptionInfo prescription(String token, String prescriptionId) {
    return (PrescriptionInfo) handle("prescription", token, prescriptionId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<PrescriptionInfo> prescriptions(String token, String patientId) {
    return (List<PrescriptionInfo>) handle("prescriptions", token, patientId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<ClinicalWarning> checkWarnings(String token, String prescriptionId, List<DispenseLine> lines) {
    return (List<ClinicalWarning>) handle("checkWarnings", token, prescriptionId, lines);
  }

  @Override
  public DispensingInfo dispense(String token, DispenseRequest request) {
    return (DispensingInfo) handle("dispense", token, request);
  }

  @Override
  public DispensingInfo dispensing(String token, String dispensingId) {
    return (DispensingInfo) handle("dispensing", token, dispensingId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<DispensingInfo> dispensingHistory(String token, String patientId) {
    return (List<DispensingInfo>) handle("dispensingHistory", token, patientId);
  }

  @Override
  public DispensingLabel label(String token, String dispensingId) {
    return (DispensingLabel) handle("label", token, dispensingId);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<RegisterDrug> registerDrugs(String token) {
    return (List<RegisterDrug>) handle("registerDrugs", token);
  }

  @Override
  public DrugRegister register(String token, String code) {
    return (DrugRegister) handle("register", token, code);
  }

  @Override
  public RegisterEntry addRegisterNote(String token, RegisterNoteRequest request) {
    return (RegisterEntry) handle("addRegisterNote", token, request);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<RegisterBalance> registerBalanceCheck(String token) {
    return (List<RegisterBalance>) handle("registerBalanceCheck", token);
  }

  @Override
  public NodeState state() {
    return (NodeState) handle("state");
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<Resolution> resolutions() {
    return (List<Resolution>) handle("resolutions");
  }

  @Override
  public void close() {
    // the test closes the node
  }

  /**
   * Runs {@code work} on a thread of its own. Not CompletableFuture's common pool: on a 2-core machine that pool
   * has one thread, and a test's second background task would wait for its first.
   */
  static <T> FutureTask<T> inThread(Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, "transport-test");
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
