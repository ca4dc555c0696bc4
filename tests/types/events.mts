// Typed events (issue 14 §3): LearnWorlds webhooks and Miles Masterclass callbacks are
// discriminated unions; a `switch` on the discriminant narrows the payload, and a field of
// another event, a misspelled type or a wrong status is a compile error.
import {
  LearnWorlds, MilesMasterclass,
  type LearnWorldsWebhookEvent, type LearnWorldsOtherWebhookEvent, type LearnWorldsWebhookType,
  type ProgressEvent, type OtherProgressEvent,
} from "lms-bridge";

const event: LearnWorldsWebhookEvent = LearnWorlds.verifyWebhook("{}", new Headers(), { signature: "v1=x" });
switch (event.type) {
  case "courseCompleted": {
    const courseId: string | undefined = event.data?.course?.id;
    const email: string | undefined = event.data?.user?.email;
    // @ts-expect-error: a course completion carries no tags
    const tags: string[] | undefined = event.data?.tags;
    console.log(courseId, email, tags);
    break;
  }
  case "userTagAdded":
  case "userTagDeleted": {
    const tags: string[] | undefined = event.data?.tags;
    console.log(tags);
    break;
  }
  case "subscriptionPaymentPlanBought": {
    // The documented quirk: the user is nested one level deeper.
    const email: string | undefined = event.data?.user?.user?.email;
    console.log(email, event.data?.subscription?.id);
    break;
  }
  case "productBought":
  case "paymentCreated": {
    const price: number | undefined = event.data?.payment?.price;
    const product: string | undefined = event.data?.product?.type;
    console.log(price, product, event.trigger);
    break;
  }
  case "subscriptionUpdated":
    console.log(event.data?.utm, event.data?.subscription?.status);
    break;
  // @ts-expect-error: not a LearnWorlds event type
  case "courseFinished":
    break;
  default: {
    const other = event as LearnWorldsOtherWebhookEvent;
    const unknown: unknown = other.data?.anything;
    console.log(other.type, unknown);
  }
}
const known: LearnWorldsWebhookType[] = ["userUpdated", "leadCreated", "learningProgramCompleted"];
// @ts-expect-error: the type list is closed
const typo: LearnWorldsWebhookType = "userupdated";
console.log(known, typo);

const mm = new MilesMasterclass({ baseUrl: "https://mm.example/api", apiKey: "k", callback: { secret: "whsec_x" } });
const progress: ProgressEvent = mm.verifyProgressCallback("{}", new Headers());
switch (progress.event) {
  case "video.completed":
  case "video.progress": {
    const video: string | undefined = progress.videoId;
    const minutes: number = progress.minutesConsumed;
    console.log(video, minutes);
    break;
  }
  case "course.completed": {
    const at: string | null = progress.completedAt;
    console.log(at, progress.cpeCredits);
    break;
  }
  // @ts-expect-error: not a Miles Masterclass event
  case "video.started":
    break;
  default:
    console.log((progress as OtherProgressEvent).event);
}
// @ts-expect-error: status is "in_progress" or "completed"
const wrong: ProgressEvent["status"] = "done";
console.log(wrong);
