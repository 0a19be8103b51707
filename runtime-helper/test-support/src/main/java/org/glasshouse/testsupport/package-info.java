/**
 * What the tests of every module share: {@link org.glasshouse.testsupport.Prerequisites}, the one
 * place that decides whether a test may skip, and {@link org.glasshouse.testsupport.SkipRule}, the
 * check that no test decides it on its own.
 */
package org.glasshouse.testsupport;
