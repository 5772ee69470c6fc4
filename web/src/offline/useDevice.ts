import { useSyncExternalStore } from 'react';
import { deviceState, subscribe, type DeviceState } from './device.ts';

export const useDevice = (): DeviceState => useSyncExternalStore(subscribe, deviceState);
