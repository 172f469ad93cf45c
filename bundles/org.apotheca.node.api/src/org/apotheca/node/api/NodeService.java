package org.apotheca.node.api;

import java.time.LocalDate;
import java.util.List;

/**
 * What a till asks of its pharmacy node. Every write goes through the node's one ledger, so FEFO stays exact
 * across tills and offline; a call that returns has been made durable (on central when online, on the node's
 * disk when offline). Every call either answers or throws {@link NodeException} with a {@link Refusal} code and a
 * sentence for the person at the till; a refused write changed nothing.
 * <p>
 * Writes take the token of a {@link Session} from {@link #login}: the node records who did what, checks the
 * user's role, and refuses a user central has disabled as soon as it knows. Reads of the catalogue and of stock
 * need no session (the till shows them on the lock screen's other side only after login anyway).
 * <p>
 * Implementations: the node in this process ({@code org.apotheca.sync}) and a node across the pharmacy LAN
 * ({@code org.apotheca.node.remote}); both pass the same contract tests. Safe to call from any thread, never
 * from the UI thread (a call can take as long as a commit through to central).
 * <p>
 * The back office's operations live in the interfaces this one extends, one per concern.
 */
public interface NodeService
    extends DispensaryService, RegisterService, StockControlService, CashUpService, ReportService, AutoCloseable {

  /** Where this service reaches its node, in words for the status bar ("node 0001 on this computer"). */
  String describe();

  // ---- people ----

  /**
   * Checks the user's password against the salted slow hash central sent this node (works offline). A wrong
   * password or unknown user gets one refusal ({@link Refusal#LOGIN_FAILED}) and a growing delay; a disabled user
   * {@link Refusal#USER_DISABLED}.
   *
   * @param tillId which till the person is at ("till-1"): sales and journals are kept per till
   */
  Session login(String tillId, String username, char[] password);

  /** Ends the session (lock, log out). Unknown tokens are ignored. */
  void logout(String token);

  /** The session if it is still valid (the user may have been disabled since); refuses otherwise. */
  Session session(String token);

  // ---- catalogue and stock ----

  /**
   * Products whose name or active ingredient contains every word of {@code text}, or whose barcode starts with it,
   * best matches first, at most {@code limit}. Fast enough to call on every keystroke.
   */
  List<ProductInfo> search(String text, int limit);

  /** The product with this EAN-13 / UPC-A / GTIN-14 (compared as 14 digits) or internal code. */
  ProductInfo product(String code);

  /** The product's batches on hand (quantity &gt; 0), earliest expiry first, with recalls and expiry marked. */
  List<BatchInfo> batches(String code);

  /**
   * Prices a basket line and plans its FEFO allocation as the node would now, without writing anything: the
   * same refusals a sale of it would get (unknown, withdrawn, recalled, expired-only, not enough stock, lot not
   * held here, lot expiry not matching the shelf).
   */
  Quote quote(String token, LineRequest line);

  // ---- selling ----

  /**
   * Records a whole basket with its payments as one sale, FEFO per line, in one commit. Idempotent by
   * {@link SaleRequest#saleId()}: asking again with the same id (after a lost answer) returns the recorded sale.
   */
  SaleInfo sell(String token, SaleRequest request);

  /** A recorded sale by its receipt number (for refunds and reprints). */
  SaleInfo sale(String receiptNumber);

  /** The pharmacy's sales of one business day, newest first, each saying whether central has it yet. */
  List<SaleInfo> sales(LocalDate day);

  /**
   * Refunds some or all of a sale's lines at the price paid; stock goes back to the batches it came from. At most
   * what was sold minus what was refunded before; the reason and the user are recorded. Idempotent by refund id.
   */
  RefundInfo refund(String token, RefundRequest request);

  /** Receives a batch into stock (goods receipt). Idempotent by {@link ReceiveRequest#receiptId()}. */
  BatchInfo receive(String token, ReceiveRequest request);

  // ---- sync state ----

  /** The node's state in a form the status bar can show at a glance; cheap enough to poll every second. */
  NodeState state();

  /** Every non-trivial decision the node made while merging offline work into central, oldest first. */
  List<Resolution> resolutions();

  @Override
  void close();
}
