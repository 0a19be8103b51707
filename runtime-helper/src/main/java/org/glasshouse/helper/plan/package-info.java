/**
 * What the helper and the init stage share: the {@link org.glasshouse.helper.plan.InitPlan} the
 * helper sends, the {@link org.glasshouse.helper.plan.InitMessage}s of their conversation and the
 * {@link org.glasshouse.helper.plan.StepLog} both sides write. Both sides depend on this package
 * and it on neither, so an init JVM loads none of the runtime's classes.
 */
package org.glasshouse.helper.plan;
