package org.apotheca.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.logging.Logger;

/**
 * The node's clock moved forward by {@value #PROPERTY} days, read at every tick: how a UI test (whose node runs in
 * the workbench under test) lets stock on the shelf expire, and how a trainer shows what an expired pack looks like
 * at the till. Only a node whose site.properties says {@code clock.adjustable=true} uses it; the node says so in its
 * log at start. Dates of sales, receipts and expiry checks follow it; CDO's commit times do not.
 */
final class AdjustableClock extends Clock {

  static final String PROPERTY = "apotheca.node.clock.offset.days";
  private static final Logger LOG = Logger.getLogger(AdjustableClock.class.getName());

  private final Clock base;

  AdjustableClock(Clock base) {
    this.base = base;
    LOG.warning(() -> "This node's clock can be moved forward (clock.adjustable=true, system property " + PROPERTY
        + "): for tests and training only, never in a pharmacy");
  }

  /** The clock a node started from {@code settings} runs on. */
  static Clock of(NodeSettings settings) {
    return settings.adjustableClock() ? new AdjustableClock(Clock.systemDefaultZone()) : Clock.systemDefaultZone();
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new AdjustableClock(base.withZone(zone));
  }

  @Override
  public Instant instant() {
    return base.instant().plus(Duration.ofDays(Long.getLong(PROPERTY, 0L)));
  }
}
