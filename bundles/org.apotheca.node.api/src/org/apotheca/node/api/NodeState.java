package org.apotheca.node.api;

import java.util.List;

/**
 * What the status bar shows.
 *
 * @param since when the node entered this connection state (offline since ...), 0 when unknown
 * @param error the reason in plain words when {@code connection} is ERROR, else null
 * @param pendingSales sales recorded offline and not at central yet
 * @param pendingOther the other offline work not at central yet (refunds, goods receipts, dispensings, register notes,
 *        stocktakes, cash-ups...), counted in user actions
 * @param lastContactAt when the node last had everything at central (nothing left to merge), 0: never
 * @param catalogueAt the time of the newest catalogue change this node holds, 0: none yet
 */
public record NodeState(String siteId, Connection connection, long since, String error, int pendingSales,
    int pendingOther, long lastContactAt, long catalogueAt, List<RecallAlert> recallAlerts) {

  /**
   * How {@link #error()} begins when the till reached its node and the node refused the till itself (unpaired, an
   * expired or foreign certificate): no outage that will pass, so the status line says it as it is.
   */
  public static final String TILL_REFUSED = "The pharmacy node refused this till: ";

  public NodeState {
    recallAlerts = List.copyOf(recallAlerts);
  }

  /** A state with no other work waiting than sales (a till that cannot reach its node, a node not ready). */
  public NodeState(String siteId, Connection connection, long since, String error, int pendingSales, long lastContactAt,
      long catalogueAt, List<RecallAlert> recallAlerts) {
    this(siteId, connection, since, error, pendingSales, 0, lastContactAt, catalogueAt, recallAlerts);
  }

  public enum Connection {
    /** Connected to central and caught up: sales reach central as they are made. */
    ONLINE,
    /** Connected again, bringing offline work to central or catching up. */
    CATCHING_UP,
    /** Central cannot be reached: sales are kept on the node and sent later. */
    OFFLINE,
    /** Replication or merging failed; see {@link NodeState#error()}. Sales are still kept. */
    ERROR,
    /** The node has not received the catalogue from central yet: it cannot sell. */
    NOT_READY,
    /** This till cannot reach its node: it cannot sell. */
    NODE_UNREACHABLE
  }

  /** Whether a till may sell now. */
  public boolean canSell() {
    return connection != Connection.NOT_READY && connection != Connection.NODE_UNREACHABLE;
  }
}
