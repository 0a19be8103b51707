/**
 * What every feature shares: the helper client behind LabService, the typed LabEvents, the
 * FX-thread hand-over, navigation, preferences, and the one byte and time formatter (Units).
 */
package org.glasshouse.app.core;
