/**
 * What the tests of every module share: {@link org.glasshouse.testsupport.Prerequisites}, the one
 * place that decides whether a test may skip (and whether the tests run as root), {@link
 * org.glasshouse.testsupport.SkipRule}, the check that no test decides it on its own, {@link
 * org.glasshouse.testsupport.BuiltByName}, the check that the big records are never built
 * positionally, {@link org.glasshouse.testsupport.OneRootCheck}, the check that "am I root" has one
 * answer, and {@link org.glasshouse.testsupport.Transcript}, the fixture recorders' record of a
 * conversation with a real helper.
 */
package org.glasshouse.testsupport;
