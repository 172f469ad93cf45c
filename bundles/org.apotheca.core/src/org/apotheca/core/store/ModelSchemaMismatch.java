package org.apotheca.core.store;

import java.nio.file.Path;

/**
 * A data directory written with another model schema than this installation's: the process refuses to start and has
 * changed nothing. {@link #getMessage()} is the one sentence for the admin; {@link ModelSchemaGuard#EXIT_CODE} is
 * the exit code the applications end with.
 */
public final class ModelSchemaMismatch extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Path dataDir;
  private final int dataSchema;
  private final int installedSchema;

  ModelSchemaMismatch(String message, Path dataDir, int dataSchema, int installedSchema) {
    super(message);
    this.dataDir = dataDir;
    this.dataSchema = dataSchema;
    this.installedSchema = installedSchema;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The schema the data was written with; 0 when its marker could not be read. */
  public int dataSchema() {
    return dataSchema;
  }

  public int installedSchema() {
    return installedSchema;
  }

  /** The mismatch anywhere in {@code e}'s causes, or null: the applications answer it with its own sentence. */
  public static ModelSchemaMismatch in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ModelSchemaMismatch m) {
        return m;
      }
    }
    return null;
  }
}
