package org.apotheca.node.api;

import java.util.List;

/** One drug's register: its entries in the order they were made, across every page, with the running balance. */
public record DrugRegister(RegisterDrug drug, List<RegisterEntry> entries) {

  public DrugRegister {
    entries = List.copyOf(entries);
  }
}
