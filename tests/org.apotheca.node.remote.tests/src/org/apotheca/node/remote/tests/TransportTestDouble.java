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
import org.apotheca.node.api.LineRequest;
import org.apotheca.node.api.NodeService;
import org.apotheca.node.api.NodeState;
import org.apotheca.node.api.ProductInfo;
import org.apotheca.node.api.Quote;
import org.apotheca.node.api.ReceiveRequest;
import org.apotheca.node.api.RefundInfo;
import org.apotheca.node.api.RefundRequest;
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
    on("salesByDay", a -> List.of(new DaySales((LocalDate) a.get(1), 3, 1, 7, 12_345, 450, 11_895, 1_982, 9_913, 6_000,
        3_913, 3_947)));
    on("salesByProduct", a -> List.of(new ProductSales(1, "p-1", "5012345678900", "Paracetamol 500 mg", 7, 11_895, 1_982,
        9_913, 6_000, 3_913, 3_947)));
    on("stockValue", a -> new StockValue(LocalDate.of(2026, 12, 1), 2, 30, 9_000, 15_000,
        List.of(new ProductStock("p-1", "5012345678900", "Paracetamol 500 mg", 2, 30, 9_000, 15_000)),
        List.of(new StockBand(BatchInfo.ExpiryBand.DAYS_30, 2, 30, 9_000, 15_000))));
    on("expiringStock", a -> new ExpiringStock(LocalDate.of(2026, 12, 1), (Integer) a.get(1),
        List.of(new StockBand(BatchInfo.ExpiryBand.EXPIRED, 1, 5, 1_500, 2_500)), List.of(new ExpiringBatch("b-1", "p-1",
            "5012345678900", "Paracetamol 500 mg", "L1", LocalDate.of(2026, 11, 30), -1, BatchInfo.ExpiryBand.EXPIRED,
            5, 1_500, 2_500))));
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

  @Override
  public NodeState state() {
    return (NodeState) handle("state");
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<Resolution> resolutions() {
    return (List<Resolution>) handle("resolutions");
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<DaySales> salesByDay(String token, LocalDate from, LocalDate to) {
    return (List<DaySales>) handle("salesByDay", token, from, to);
  }

  @SuppressWarnings("unchecked")
  @Override
  public List<ProductSales> salesByProduct(String token, LocalDate from, LocalDate to, int limit) {
    return (List<ProductSales>) handle("salesByProduct", token, from, to, limit);
  }

  @Override
  public StockValue stockValue(String token) {
    return (StockValue) handle("stockValue", token);
  }

  @Override
  public ExpiringStock expiringStock(String token, int days) {
    return (ExpiringStock) handle("expiringStock", token, days);
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
