package com.magicdistill.console.platform;

import com.magicdistill.storage.ObjectStore;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The services the console uses: PostgreSQL (schema migrated), the object store of run outputs and
 * Temporal. {@link PlatformBeans} makes them from the {@code MAGIC_*} settings; tests give their
 * own.
 *
 * @param home {@code MAGIC_HOME} (the one-time admin password file lives there)
 * @param codeVersion recorded with the runs the console launches ({@code MAGIC_CODE_VERSION})
 */
public record ConsoleBackends(
    DataSource dataSource, ObjectStore store, RunControl control, Path home, String codeVersion) {}
