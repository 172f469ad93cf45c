package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.apotheca.core.Repositories;
import org.apotheca.core.users.UserAccount;
import org.apotheca.model.Role;
import org.junit.jupiter.api.Test;

class UserAccountTest {

  @Test
  void usernamesAreStoredLowerCaseAndCheckedStrictly() {
    assertEquals("alice", UserAccount.username("Alice"));
    assertEquals("j.smith-2_b", UserAccount.username(" j.smith-2_b "));
    assertEquals("ab", UserAccount.username("ab"));
    assertEquals("a".repeat(32), UserAccount.username("a".repeat(32)));
    for (String bad : new String[] { null, "", "a", "a".repeat(33), "1alice", ".alice", "al ice", "alice!", "älice", "al/ice" }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserAccount.username(bad), bad);
      assertTrue(e.getMessage().contains("not a valid username"), e.getMessage());
    }
  }

  @Test
  void displayNamesAreShortAndQuotable() {
    assertEquals("Alice Pharmacist", UserAccount.displayName("  Alice Pharmacist ", "alice"));
    assertEquals("alice", UserAccount.displayName(null, "alice"));
    assertEquals("alice", UserAccount.displayName("  ", "alice"));
    assertEquals("x".repeat(60), UserAccount.displayName("x".repeat(60), "alice"));
    assertThrows(IllegalArgumentException.class, () -> UserAccount.displayName("x".repeat(61), "alice"));
    assertThrows(IllegalArgumentException.class, () -> UserAccount.displayName("Alice \"Al\" P", "alice"));
    assertThrows(IllegalArgumentException.class, () -> UserAccount.displayName("Alice\nP", "alice"));
  }

  @Test
  void rolesAreLowerCaseWordsInRoleOrder() {
    assertEquals(List.of("pharmacist", "manager"), List.copyOf(UserAccount.roles("manager, Pharmacist")));
    assertEquals(List.of("assistant"), List.copyOf(UserAccount.roles("assistant,assistant")));
    assertEquals(Role.VALUES.size(), UserAccount.roles("admin,manager,cashier,assistant,pharmacist").size());
    assertEquals(Role.CASHIER, UserAccount.toRole("Cashier"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserAccount.roles("pharmacist,doctor"));
    assertTrue(e.getMessage().startsWith("Unknown role 'doctor'") && e.getMessage().contains("pharmacist, assistant, cashier, manager, admin"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> UserAccount.roles(""));
    assertThrows(IllegalArgumentException.class, () -> UserAccount.roles(" , "));
    assertThrows(IllegalArgumentException.class,
        () -> new UserAccount("x1", "X", Set.of("surgeon"), true, null, "0001", List.of("0001")));
  }

  @Test
  void toStringNeverShowsTheHash() {
    String hash = "pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=";
    UserAccount u = new UserAccount("alice", "Alice", Set.of("manager", "pharmacist"), true, hash, "0001", List.of("0001", "0002"));
    assertFalse(u.toString().contains("c2FsdHNhbHRz") || u.toString().contains("a2V5") || u.toString().contains("600000"), u.toString());
    assertTrue(u.toString().contains("alice") && u.toString().contains("(hidden)"), u.toString());
    assertEquals(List.of("pharmacist", "manager"), List.copyOf(u.roles()));
    assertTrue(u.mayLogInAt("0002"));
    assertFalse(u.mayLogInAt("0003"));
    assertFalse(new UserAccount("bob", "", Set.of("cashier"), false, hash, "0001", List.of("0001")).mayLogInAt("0001"));
    assertEquals("/sites/0001/staff", Repositories.staffResource("0001"));
  }
}
