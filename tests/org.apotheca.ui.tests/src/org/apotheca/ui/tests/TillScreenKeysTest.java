package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apotheca.ui.till.TillScreens;
import org.eclipse.swt.SWT;
import org.junit.jupiter.api.Test;

/** The keys a bundle may give its till screen in plugin.xml, and how the key legend writes them. */
class TillScreenKeysTest {

  @Test
  void functionKeysShiftFunctionKeysAndCtrlLettersAreRead() {
    assertEquals(SWT.F5, TillScreens.keyCode("F5"));
    assertEquals(SWT.F1, TillScreens.keyCode("F1"));
    assertEquals(SWT.F11, TillScreens.keyCode("f11"));
    assertEquals(SWT.SHIFT | SWT.F5, TillScreens.keyCode("Shift+F5"));
    assertEquals(SWT.SHIFT | SWT.F12, TillScreens.keyCode("shift+f12"), "Shift+F12 is free: the till pays on F12 alone");
    assertEquals(SWT.CTRL | 'p', TillScreens.keyCode("Ctrl+P"));
    assertEquals(SWT.CTRL | 'p', TillScreens.keyCode(" ctrl+p "));
  }

  @Test
  void keysTheTillAnswersItselfAndAnythingElseAreRefused() {
    for (String taken : new String[] { "F4", "F6", "F7", "F8", "F9", "F12", "Ctrl+Z", "Ctrl+Y", "Ctrl+R", "Ctrl+L",
        "Ctrl+A", "Ctrl+C", "Ctrl+V", "Ctrl+X" }) {
      assertEquals(0, TillScreens.keyCode(taken), taken);
    }
    for (String bad : new String[] { null, "", "F0", "F13", "Alt+F5", "Ctrl+F5", "Shift+P", "Ctrl+1", "Ctrl+PP",
        "Ctrl+Shift+P", "Shift+Ctrl+F5", "P" }) {
      assertEquals(0, TillScreens.keyCode(bad), String.valueOf(bad));
    }
    assertEquals(SWT.F5, TillScreens.keyCode("F5 "), "spaces around are forgiven");
  }

  @Test
  void theLegendWritesEachKeyOneWay() {
    assertEquals("F5", TillScreens.keyName(TillScreens.keyCode("f5")));
    assertEquals("Shift+F5", TillScreens.keyName(TillScreens.keyCode("SHIFT+F5")));
    assertEquals("Ctrl+P", TillScreens.keyName(TillScreens.keyCode("ctrl+p")));
  }
}
