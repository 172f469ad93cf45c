package org.apotheca.node.api;

/** What a person may do at a pharmacy. Central assigns roles; the node enforces them. */
public enum Role {
  PHARMACIST, ASSISTANT, CASHIER, MANAGER, ADMIN;

  /** "pharmacist", as staff type and read it. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role parse(String word) {
    for (Role r : values()) {
      if (r.word().equalsIgnoreCase(word == null ? "" : word.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException("Unknown role '" + word + "': one of pharmacist, assistant, cashier, manager, admin");
  }
}
