package org.apotheca.ui;

import org.eclipse.core.runtime.ILog;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Keeps the bundle context: the application finds the node factory in the OSGi service registry through it. */
public final class Activator implements BundleActivator {

  public static final String PLUGIN_ID = "org.apotheca.ui";

  private static volatile BundleContext context;

  @Override
  public void start(BundleContext c) {
    context = c;
  }

  @Override
  public void stop(BundleContext c) {
    context = null;
  }

  public static BundleContext context() {
    return context;
  }

  /** Technical details go to the log, where support finds them; people see a sentence. */
  public static void log(String message, Throwable t) {
    ILog.of(Activator.class).error(message, t);
  }
}
