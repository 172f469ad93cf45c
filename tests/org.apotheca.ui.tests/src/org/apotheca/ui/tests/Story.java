package org.apotheca.ui.tests;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A UI test class whose ordered tests tell one story on one workbench: once a step fails, the later steps are skipped
 * (they would fail for the earlier step's reason), and the failed step leaves a picture of the screen.
 */
final class Story implements BeforeEachCallback, TestWatcher {

  private final Robot robot;
  private final String picturePrefix;
  private boolean broken;

  /** {@code picturePrefix} names the pictures of failed steps, e.g. "failed-office-". */
  Story(Robot robot, String picturePrefix) {
    this.robot = robot;
    this.picturePrefix = picturePrefix;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Assumptions.assumeFalse(broken, "an earlier step of the story failed");
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    broken = true;
    try {
      robot.failureScreenshot(picturePrefix + context.getRequiredTestMethod().getName() + ".png");
    } catch (RuntimeException | AssertionError e) {
      // the picture is a help, not the verdict
    }
  }
}
