/**
 * Notifications (voicemail, callback number, missed call) POSTed as signed JSON to the owner's `notifyUrl`
 * or NOTIFY_WEBHOOK_URL. Receivers verify them with `verifyNotificationSignature`.
 */
export { DEFAULT_RETRY_POLICY, notificationStartupWarning, WebhookNotifier } from './notifier';
export type { Notifier, NotifierDeps, RetryPolicy, TestDelivery } from './notifier';
export { MISSED_OUTCOMES } from './events';
export type {
  CallbackNotification, MissedCallNotification, NotificationEvent, NotificationType, VoicemailNotification,
  TestNotification, VoicemailTranscribedNotification,
} from './events';
export { NotifyHeader, signNotification, verifyNotificationSignature } from './signature';
export type { VerifyOptions } from './signature';
