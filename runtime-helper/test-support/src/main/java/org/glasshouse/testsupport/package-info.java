/**
 * What the tests of every module share: {@link org.glasshouse.testsupport.Prerequisites}, the one
 * place that decides whether a test may skip, and {@link org.glasshouse.testsupport.SkipRule}, the
 * check that no test decides it on its own, and {@link org.glasshouse.testsupport.BuiltByName}, the
 * check that the big records are never built positionally.
 */
package org.glasshouse.testsupport;
