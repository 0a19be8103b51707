/**
 * The project's "linux module": JNA bindings for the syscalls the isolation levels use, their
 * constants, and errno names. The only package that imports {@code com.sun.jna}.
 */
package org.glasshouse.helper.linux;
