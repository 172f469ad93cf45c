package org.apotheca.node.api;

public enum PaymentMethod {
  CASH, CARD
}
