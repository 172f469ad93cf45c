package org.apotheca.node.api;

/**
 * One payment towards a sale.
 *
 * @param amountMinor what this payment covers of the total
 * @param tenderedMinor what the customer handed over (cash: ≥ amount, the difference is change; card: = amount)
 */
public record PaymentRequest(PaymentMethod method, long amountMinor, long tenderedMinor) {

  public static PaymentRequest cash(long amountMinor, long tenderedMinor) {
    return new PaymentRequest(PaymentMethod.CASH, amountMinor, tenderedMinor);
  }

  public static PaymentRequest card(long amountMinor) {
    return new PaymentRequest(PaymentMethod.CARD, amountMinor, amountMinor);
  }
}
