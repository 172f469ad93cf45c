package org.apotheca.ui.till.basket;

import org.apotheca.node.api.Quote;

/** A line's quantity changed: the node quoted the new quantity (price and lots) before the command was made. */
public final class ChangeQuantityCommand implements BasketCommand {

  private final String lineId;
  private final Quote before;
  private final Quote after;

  public ChangeQuantityCommand(BasketLine line, Quote after) {
    this.lineId = line.id();
    this.before = line.quote();
    this.after = after;
  }

  @Override
  public void execute(Basket basket) {
    basket.replace(new BasketLine(lineId, after));
  }

  @Override
  public void undo(Basket basket) {
    basket.replace(new BasketLine(lineId, before));
  }

  @Override
  public String lineId() {
    return lineId;
  }

  @Override
  public String describe() {
    return "quantity of " + after.product().name() + " " + before.line().quantity() + " \u2192 " + after.line().quantity();
  }
}
