package org.apotheca.ui.till.basket;

/** A new line at the end of the basket. */
public final class AddLineCommand implements BasketCommand {

  private final BasketLine line;

  public AddLineCommand(BasketLine line) {
    this.line = line;
  }

  @Override
  public void execute(Basket basket) {
    basket.insert(basket.size(), line);
  }

  @Override
  public void undo(Basket basket) {
    basket.remove(line.id());
  }

  @Override
  public String lineId() {
    return line.id();
  }

  @Override
  public String describe() {
    return "add " + line.quantity() + " \u00d7 " + line.name();
  }
}
