/** Trigger types the OTC and HWC APIs accept. */
export type TriggerTypeCode =
  | "TIMER"
  | "APIG"
  | "DEDICATEDGATEWAY"
  | "OBS"
  | "SMN"
  | "DMS"
  | "KAFKA"
  | "OPENSOURCEKAFKA"
  | "ROCKETMQ"
  | "RABBITMQ"
  | "LTS"
  | "CTS"
  | "DDS"
  | "DIS"
  | "APIC"
  | "GAUSSMONGO"
  | "EVENTGRID";

/** `ACTIVE` or `DISABLED`. */
export type TriggerStatus = "ACTIVE" | "DISABLED";

/** Body of `POST /fgs/triggers/{function_urn}`. */
export interface CreateTriggerRequest {
  trigger_type_code: string;
  trigger_status?: string;
  event_type_code?: string;
  event_data: Record<string, unknown>;
}

/** Body of `PUT /fgs/triggers/{urn}/{type}/{id}`: status, and only the pull settings of `event_data`. */
export interface UpdateTriggerRequest {
  trigger_status?: string;
  event_data?: {
    is_serial?: boolean;
    max_fetch_bytes?: number;
    polling_interval?: number;
    polling_unit?: string;
  };
}

/** A trigger as the API returns it. Write-only secrets (passwords) are not returned. */
export interface FunctionTrigger {
  trigger_id: string;
  trigger_type_code: string;
  trigger_status: string;
  event_type_code?: string;
  event_data: Record<string, unknown>;
  /** `"2022-11-09 16:37:24"`. */
  last_updated_time?: string;
  created_time?: string;
}
